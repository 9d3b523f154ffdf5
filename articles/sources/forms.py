from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from articles.models import Source
from articles.sources.services import SOURCE_FIELDS

URL_LIST_MAX_BYTES = 1024 * 1024
_url = URLValidator(schemes=["http", "https"])


class SourceForm(forms.ModelForm):
    """A feed, or a list of article URLs pasted or uploaded as a text file."""

    url = forms.URLField(
        label=_("Feed URL"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("The address of the RSS or Atom feed."),
    )
    urls_file = forms.FileField(
        label=_("…or a text file of URLs"),
        required=False,
        help_text=_("One URL a line; added to the ones pasted above."),
    )

    class Meta:
        model = Source
        fields = list(SOURCE_FIELDS)
        widgets = {
            "kind": forms.RadioSelect,
            "article_urls": forms.Textarea(attrs={"rows": 4}),
            "language": forms.TextInput(attrs={"placeholder": "en"}),
        }
        help_texts = {
            "language": _("Optional: the language of its articles, as a code (en, de, ru)."),
            "interval_minutes": _("Between 5 minutes and a week (10080)."),
        }

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url:
            _url(url)
        return url

    def clean_interval_minutes(self):
        minutes = self.cleaned_data["interval_minutes"]
        if not 5 <= minutes <= 7 * 24 * 60:
            raise ValidationError(_("Poll between every 5 minutes and once a week (10080)."))
        return minutes

    def clean_urls_file(self):
        upload = self.cleaned_data.get("urls_file")
        if upload is None:
            return ""
        if upload.size > URL_LIST_MAX_BYTES:
            raise ValidationError(_("The file is larger than 1 MB; a list of URLs is smaller."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("Not a UTF-8 text file (byte %(at)d).") % {"at": error.start}
            ) from error

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Source.Kind.FEED and not data.get("url"):
            self.add_error("url", _("A feed source needs the feed's address."))
        if kind == Source.Kind.URLS:
            text = "\n".join(filter(None, [data.get("article_urls", ""), data.get("urls_file")]))
            urls, bad = [], []
            for number, line in enumerate(text.splitlines(), start=1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                try:
                    _url(line)
                except ValidationError:
                    bad.append(_("line %(n)d: %(text)s") % {"n": number, "text": line[:80]})
                    continue
                if line not in urls:
                    urls.append(line)
            if bad:
                self.add_error(
                    "article_urls",
                    _("Not web addresses: %(lines)s") % {"lines": "; ".join(bad[:5])},
                )
            elif not urls:
                self.add_error("article_urls", _("Give at least one article URL."))
            data["article_urls"] = "\n".join(urls)
            data["url"] = ""
        return data

    def source_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OpmlImportForm(forms.Form):
    file = forms.FileField(label=_("OPML file"), help_text=_("As feed readers export it."))
    interval_minutes = forms.IntegerField(
        label=_("Polling interval (minutes)"), initial=60, min_value=5, max_value=7 * 24 * 60
    )
    enabled = forms.BooleanField(label=_("Switch them on"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > URL_LIST_MAX_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        return upload.read()
