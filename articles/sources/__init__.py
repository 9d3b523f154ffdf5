"""Live sources: feeds and lists of article URLs that the worker polls on its own.

``fetching`` (polite HTTP, no Django), ``feeds`` and ``pages`` (reading what was fetched),
``opml`` (the feed readers' exchange format), ``services`` (polling, ingestion through
``articles.services.ingest_job_create``), ``selectors``, ``tasks``, ``forms``, ``views``.
"""
