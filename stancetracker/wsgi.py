import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stancetracker.settings")


class FreezeAfterWarmUp:
    """While a web process warms up (templates compiled, URL patterns and caches filled),
    what is alive after its 32nd, 64th, 128th... up to its 4096th request is moved out of the
    garbage collector's sight (``gc.freeze``): a full collection then no longer walks it,
    which otherwise cost about 100 ms now and then in the middle of a request (seen at the
    benchmark's million stances). Objects made later are collected as ever."""

    def __init__(self, app, *, first: int = 32, last: int = 4096):
        self.app = app
        self.next_freeze = first
        self.last = last
        self.served = 0

    def __call__(self, environ, start_response):
        response = self.app(environ, start_response)
        if self.next_freeze <= self.last:
            self.served += 1
            if self.served == self.next_freeze:
                gc.collect()
                gc.freeze()
                self.next_freeze *= 2
        return response


application = FreezeAfterWarmUp(get_wsgi_application())
