"""articles.uploads: uploaded bytes to incoming articles, bad files and rows to reasons (no db)."""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import date

import pytest

from articles.parsing import parse_article
from articles.uploads import (
    IncomingArticle,
    Rejection,
    UploadError,
    UploadLimits,
    decode_text,
    html_to_text,
    read_uploads,
)

GOOD = ("good.txt", b"Leaders met in Vienna.\n\nThey talked for hours.\n")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in members.items():
            archive.writestr(path, data)
    return buffer.getvalue()


def _patch_first_member(data: bytes, *, flag_bits: int | None = None, size: int | None = None):
    """Rewrite the first member's local and central headers, as a hostile tool might."""
    patched = bytearray(data)
    local, central = patched.find(b"PK\x03\x04"), patched.find(b"PK\x01\x02")
    if flag_bits is not None:
        struct.pack_into("<H", patched, local + 6, flag_bits)
        struct.pack_into("<H", patched, central + 8, flag_bits)
    if size is not None:
        struct.pack_into("<I", patched, local + 22, size)
        struct.pack_into("<I", patched, central + 24, size)
    return bytes(patched)


def _by_name(items):
    return {item.name: item for item in items}


def _only_rejection(result, name: str) -> str:
    rejections = _by_name(result.rejections)
    assert name in rejections, result.rejections
    return rejections[name].reason


def _good_came_through(result) -> bool:
    return "good.txt" in _by_name(result.articles)


# --- plain text and encodings ---------------------------------------------------------------


def test_text_and_markdown_files_become_articles_with_the_form_defaults():
    result = read_uploads(
        [("a.txt", b"Title\n\nBody text.\n"), ("b.md", b"# Heading\n\nSome *text*.\n")],
        default_published=date(2026, 1, 16),
        default_outlet="Le Monde",
    )
    assert result.rejections == []
    assert result.articles == [
        IncomingArticle("a.txt", "Title\n\nBody text.\n", date(2026, 1, 16), "Le Monde", ""),
        IncomingArticle("b.md", "Heading\n\nSome *text*.\n", date(2026, 1, 16), "Le Monde", ""),
    ]


def test_utf16_file_with_bom_is_decoded():
    result = read_uploads([("u16.txt", "Déjà vu in Brüssel\r\nÜber alles".encode("utf-16"))])
    assert result.articles[0].raw == "Déjà vu in Brüssel\nÜber alles"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_from_its_nul_bytes(codec):
    result = read_uploads([("u16.txt", "Talks resumed on Monday.\nCafé".encode(codec)), GOOD])
    assert result.rejections == []
    assert result.articles[0].raw == "Talks resumed on Monday.\nCafé"


def test_utf8_bom_is_stripped_and_windows_and_old_mac_newlines_become_newlines():
    data = "\ufeffLine one\r\nLine two\rLine three".encode()
    assert read_uploads([("bom.txt", data)]).articles[0].raw == "Line one\nLine two\nLine three"


def test_windows_1252_file_with_accents_and_euro_sign_is_read():
    text = "Le café coûte 5 € à Paris.\r\nLa réunion a été reportée à lundi."
    result = read_uploads([("legacy.txt", text.encode("cp1252")), GOOD])
    assert result.rejections == []
    assert _by_name(result.articles)["legacy.txt"].raw == text.replace("\r\n", "\n")


def test_text_in_an_unsupported_encoding_is_rejected_rather_than_garbled():
    russian = "Президент России заявил, что диалог с Европой возможен.".encode("cp1251")
    result = read_uploads([("ru.txt", russian), GOOD])
    assert _only_rejection(result, "ru.txt") == (
        "Could not read the text: it is not in a known encoding (UTF-8, UTF-16 or Windows-1252)."
    )
    assert _good_came_through(result)


def test_decode_text_raises_upload_error_carrying_the_reason():
    assert decode_text(b"\xef\xbb\xbfHello\r\n") == "Hello\n"
    with pytest.raises(UploadError, match=r"it looks like a PDF document"):
        decode_text(b"%PDF-1.7\n...")


# --- binary content, size, emptiness, type --------------------------------------------------


def test_png_renamed_to_txt_is_rejected_as_an_image_and_the_other_files_still_pass():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20)
    result = read_uploads([("photo.txt", png), GOOD])
    assert _only_rejection(result, "photo.txt") == "Not a text file (it looks like a PNG image)."
    assert _good_came_through(result)


@pytest.mark.parametrize(
    "data, looks_like",
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "a GIF image"),
        (_zip({"inner.txt": b"hello"}), "a ZIP archive"),
        (b"\x7fELF\x02\x01\x01" + bytes(9), "a Linux program"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "a Windows program"),
    ],
)
def test_binary_files_named_txt_are_rejected_naming_what_they_look_like(data, looks_like):
    result = read_uploads([("notes.txt", data), GOOD])
    assert looks_like in _only_rejection(result, "notes.txt")
    assert _good_came_through(result)


def test_other_binary_content_is_rejected_because_of_its_nul_bytes():
    result = read_uploads([("data.txt", b"\x01\x02\x00\x00\x93\x00\xff\x10" * 8), GOOD])
    assert _only_rejection(result, "data.txt") == "Not a text file (it contains binary data)."
    assert _good_came_through(result)


def test_oversize_file_is_rejected_with_its_size_and_the_limit_in_human_units():
    result = read_uploads(
        [("big.txt", b"a" * 1536), GOOD], limits=UploadLimits(max_file_bytes=1024)
    )
    assert _only_rejection(result, "big.txt") == (
        "The file is too large (1.5 KB, the limit is 1 KB)."
    )
    assert _good_came_through(result)


def test_oversize_file_under_the_default_limit_is_reported_in_megabytes():
    result = read_uploads([("big.txt", b"a" * int(7.2 * 1024 * 1024))])
    assert _only_rejection(result, "big.txt") == (
        "The file is too large (7.2 MB, the limit is 5 MB)."
    )


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n", "\ufeff".encode(), " \n ".encode("utf-16")])
def test_empty_or_whitespace_only_file_is_rejected(data):
    result = read_uploads([("empty.txt", data), GOOD])
    assert _only_rejection(result, "empty.txt") == "The file is empty."
    assert _good_came_through(result)


def test_unsupported_file_types_are_rejected_naming_the_type():
    result = read_uploads(
        [
            ("report.docx", _zip({"word/document.xml": b"<w:document/>"})),
            ("scan.pdf", b"%PDF-1.5\n"),
            ("notes.rtf", b"plain words"),
            ("README", b"plain words"),
            ("old.tar.gz", b"\x1f\x8b\x08\x00"),
            GOOD,
        ]
    )
    reasons = {item.name: item.reason for item in result.rejections}
    assert "it looks like a ZIP archive or a Word/Excel document" in reasons["report.docx"]
    assert "it looks like a PDF document" in reasons["scan.pdf"]
    assert reasons["notes.rtf"].startswith("Files ending in .rtf are not supported.")
    assert reasons["README"].startswith("The file name has no extension")
    assert reasons["old.tar.gz"] == "Only ZIP archives can be opened, not .gz files."
    assert _good_came_through(result)


def test_files_beyond_the_upload_limit_are_rejected_one_by_one():
    archive = _zip({"z1.txt": b"one", "z2.txt": b"two"})
    result = read_uploads(
        [("a.txt", b"a"), ("batch.zip", archive), ("b.txt", b"b")],
        limits=UploadLimits(max_files=2),
    )
    assert [article.name for article in result.articles] == ["a.txt", "batch.zip/z1.txt"]
    assert [rejection.name for rejection in result.rejections] == ["batch.zip/z2.txt", "b.txt"]
    assert all("Too many files in one upload" in r.reason for r in result.rejections)


# --- HTML -----------------------------------------------------------------------------------

PAGE = b"""<!doctype html>
<html><head><title>Talks resume in Vienna | Example News</title>
<style>p { color: red }</style><script>track("visit");</script></head>
<body>
<header><a href="/">Example News</a><nav><a>Home</a> <a>World</a> <a>Europe</a></nav></header>
<main><article>
  <header><h1>Talks resume in Vienna</h1></header>
  <p>Diplomats   met on <b>Monday</b>
     for the first time &amp; spoke for hours.</p>
  <aside>Read more: unrelated story</aside>
  <h2>What comes next</h2>
  <p>Another round is planned.<br>Officials declined to comment.</p>
  <form><input name="q"><button>Subscribe</button></form>
  <script>alert("x")</script><svg><title>share icon</title></svg>
</article></main>
<footer>Copyright 2026</footer>
</body></html>"""


def test_html_keeps_headings_and_paragraphs_and_drops_scripts_navigation_and_asides():
    result = read_uploads([("page.html", PAGE), GOOD])
    assert result.rejections == []
    assert _by_name(result.articles)["page.html"].raw == (
        "Talks resume in Vienna\n\n"
        "Diplomats met on Monday for the first time & spoke for hours.\n\n"
        "What comes next\n\n"
        "Another round is planned.\nOfficials declined to comment."
    )


def test_html_title_comes_from_the_title_element_or_else_the_first_h1():
    assert html_to_text("<title>Page title</title><h1>Headline</h1><p>Text.</p>") == (
        "Page title",
        "Headline\n\nText.",
    )
    assert html_to_text("<h1>Headline</h1><p>Text.</p>") == ("Headline", "Text.")
    # A <title> that is the headline plus the site name gives way to the cleaner <h1>.
    assert html_to_text("<title>Site \u2013 Headline</title><h1>Headline</h1><p>Text.</p>") == (
        "Headline",
        "Text.",
    )
    assert html_to_text("<p>Only text.</p>") == ("", "Only text.")


def test_html_page_without_readable_text_is_rejected():
    page = b"<html><head><title>Menu</title><script>x()</script></head><body><nav>Home</nav>"
    result = read_uploads([("menu.htm", page), GOOD])
    assert _only_rejection(result, "menu.htm") == "The page has no readable article text."
    assert _good_came_through(result)


# --- ZIP ------------------------------------------------------------------------------------


def test_zip_members_in_nested_folders_become_articles_and_system_files_are_ignored():
    archive = _zip(
        {
            "folder/": b"",
            "folder/a.txt": b"First article.",
            "folder/deeper/b.html": b"<title>B</title><p>Second article.</p>",
            "__MACOSX/folder/._a.txt": b"\x00\x05\x16\x07",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
            "folder/.hidden.txt": b"secret",
        }
    )
    result = read_uploads([("batch.zip", archive)], default_outlet="Reuters")
    assert result.rejections == []
    assert [(a.name, a.raw, a.outlet) for a in result.articles] == [
        ("batch.zip/folder/a.txt", "First article.", "Reuters"),
        ("batch.zip/folder/deeper/b.html", "B\n\nSecond article.", "Reuters"),
    ]


def test_bad_members_of_a_zip_are_rejected_one_by_one_and_the_rest_come_through():
    archive = _zip(
        {
            "ok.txt": b"Fine.",
            "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(8),
            "inner.zip": _zip({"x.txt": b"x"}),
            "empty.md": b"",
        }
    )
    result = read_uploads([("batch.zip", archive)])
    assert [a.name for a in result.articles] == ["batch.zip/ok.txt"]
    reasons = {r.name: r.reason for r in result.rejections}
    assert reasons == {
        "batch.zip/image.txt": "Not a text file (it looks like a PNG image).",
        "batch.zip/inner.zip": (
            "Archives inside archives are not opened. Upload this archive on its own."
        ),
        "batch.zip/empty.md": "The file is empty.",
    }


@pytest.mark.parametrize("path", ["../evil.txt", "folder/../../evil.txt", "/etc/evil.txt"])
def test_zip_with_a_path_leaving_the_archive_is_rejected_as_a_whole(path):
    archive = _zip({"fine.txt": b"Fine.", path: b"evil"})
    result = read_uploads([("batch.zip", archive), GOOD])
    reason = _only_rejection(result, "batch.zip")
    assert "path that leads outside it" in reason
    assert path in reason
    assert [a.name for a in result.articles] == ["good.txt"]


def test_zip_member_that_unpacks_beyond_the_file_limit_is_rejected():
    archive = _zip({"bomb.txt": b"a" * 200_000, "ok.txt": b"Fine."})
    assert len(archive) < 2_000
    result = read_uploads([("batch.zip", archive)], limits=UploadLimits(max_file_bytes=10_000))
    assert _only_rejection(result, "batch.zip/bomb.txt") == (
        "The file is too large (195.3 KB, the limit is 9.8 KB)."
    )
    assert [a.name for a in result.articles] == ["batch.zip/ok.txt"]


def test_zip_member_whose_header_understates_its_size_is_not_unpacked():
    archive = _patch_first_member(_zip({"bomb.txt": b"a" * 200_000, "ok.txt": b"Fine."}), size=10)
    result = read_uploads([("batch.zip", archive)], limits=UploadLimits(max_file_bytes=10_000))
    assert "batch.zip/bomb.txt" in _by_name(result.rejections)
    assert [a.name for a in result.articles] == ["batch.zip/ok.txt"]


def test_zip_whose_declared_total_size_exceeds_the_expansion_limit_is_rejected():
    archive = _zip({"a.txt": b"a" * 6_000, "b.txt": b"b" * 6_000})
    limits = UploadLimits(max_expanded_bytes=10_000)
    result = read_uploads([("batch.zip", archive), GOOD], limits=limits)
    assert _only_rejection(result, "batch.zip") == (
        "The archive would unpack to 11.7 KB, the limit is 9.8 KB."
    )
    assert [a.name for a in result.articles] == ["good.txt"]


def test_zip_with_more_members_than_allowed_is_rejected():
    archive = _zip({f"{n}.txt": b"text" for n in range(4)})
    result = read_uploads([("batch.zip", archive)], limits=UploadLimits(max_archive_members=3))
    assert _only_rejection(result, "batch.zip") == (
        "The archive holds 4 files, the limit is 3. Split it into smaller archives."
    )
    assert result.articles == []


def test_password_protected_zip_is_rejected():
    archive = _patch_first_member(_zip({"secret.txt": b"hidden"}), flag_bits=0x1)
    result = read_uploads([("locked.zip", archive), GOOD])
    assert _only_rejection(result, "locked.zip") == (
        "The archive is protected by a password, so its files cannot be read."
    )
    assert _good_came_through(result)


def test_invalid_zip_is_rejected_and_a_renamed_image_is_named():
    truncated = _zip({"a.txt": b"text" * 100})[:40]
    result = read_uploads(
        [("broken.zip", truncated), ("photo.zip", b"\x89PNG\r\n\x1a\n" + bytes(8)), GOOD]
    )
    assert _only_rejection(result, "broken.zip") == (
        "Not a valid ZIP archive (it may be damaged or incomplete)."
    )
    assert _only_rejection(result, "photo.zip") == "Not a ZIP archive (it looks like a PNG image)."
    assert _good_came_through(result)


# --- CSV ------------------------------------------------------------------------------------


def test_csv_with_bom_semicolons_and_a_multiline_quoted_body_gives_one_article_per_row():
    data = (
        "\ufeffTitle;Body;Published;URL;Outlet\r\n"
        'Talks resume;"First paragraph.\r\n\r\nSecond; with a semicolon.";2026-01-16;'
        "https://example.com/a;Le Monde\r\n"
        "No title here;Just a body.;;;\r\n"
    ).encode()
    result = read_uploads(
        [("rows.csv", data)], default_published=date(2026, 2, 1), default_outlet="Form outlet"
    )
    assert result.rejections == []
    assert result.articles == [
        IncomingArticle(
            name="rows.csv#row 2",
            raw="Talks resume\n\nFirst paragraph.\n\nSecond; with a semicolon.",
            default_published=date(2026, 1, 16),
            outlet="Le Monde",
            source_url="https://example.com/a",
        ),
        # Row 3 in a spreadsheet, although the multi-line body above pushed it to line 5.
        IncomingArticle(
            name="rows.csv#row 3",
            raw="No title here\n\nJust a body.",
            default_published=date(2026, 2, 1),
            outlet="Form outlet",
        ),
    ]


def test_csv_row_without_body_is_rejected_and_the_other_rows_come_through():
    data = b"title,body\nFirst,Body one.\nSecond,   \nThird,Body three.\n"
    result = read_uploads([("rows.csv", data)])
    assert result.rejections == [Rejection("rows.csv#row 3", "Row 3 has no body.")]
    assert [a.name for a in result.articles] == ["rows.csv#row 2", "rows.csv#row 4"]


def test_csv_without_body_column_is_rejected_as_a_whole():
    result = read_uploads([("rows.csv", b"title,text\nA,Some text\n"), GOOD])
    reason = _only_rejection(result, "rows.csv")
    assert reason.startswith(
        "The CSV file has no 'body' column (its first row has 'title', 'text')"
    )
    assert _good_came_through(result)


def test_csv_header_is_matched_without_regard_to_case_or_spaces():
    result = read_uploads([("rows.csv", b" BODY ,  Title\nText.,Head\n")])
    assert result.articles[0].raw == "Head\n\nText."


def test_csv_unclosed_quote_is_reported_instead_of_swallowing_the_later_rows():
    data = b'body,title\nFine.,One\n"Never closed,Two\nThree,Three\n'
    result = read_uploads([("rows.csv", data)])
    assert [a.name for a in result.articles] == ["rows.csv#row 2"]
    assert _only_rejection(result, "rows.csv") == (
        "Row 3 and the rows after it could not be read: a quoted cell is never closed "
        '(a closing " is missing).'
    )


def test_csv_with_only_a_header_row_is_rejected():
    result = read_uploads([("rows.csv", b"title,body\n")])
    assert _only_rejection(result, "rows.csv") == "The CSV file has a header row but no articles."


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-16",
        "January 16, 2026",
        "16 January 2026",
        "Jan 16 2026",
        "2026-01-16T09:30:00Z",
        "2026-01-16 23:59:00+02:00",
    ],
)
def test_csv_published_dates_in_the_accepted_formats_are_read(value):
    data = f'body,published\nText.,"{value}"\n'.encode()
    assert read_uploads([("rows.csv", data)]).articles[0].default_published == date(2026, 1, 16)


def test_csv_day_month_date_is_rejected_as_ambiguous_naming_the_value_and_the_formats():
    data = b"body,published\nText one.,16/01/2026\nText two.,2026-01-17\n"
    result = read_uploads([("rows.csv", data)])
    reason = _only_rejection(result, "rows.csv#row 2")
    assert "'16/01/2026'" in reason
    assert "ambiguous" in reason
    assert "YYYY-MM-DD" in reason and "16 January 2026" in reason
    assert result.articles[0].default_published == date(2026, 1, 17)


def test_csv_unreadable_date_is_rejected_naming_the_value():
    result = read_uploads([("rows.csv", b"body,published\nText.,next Tuesday\n")])
    assert _only_rejection(result, "rows.csv#row 2").startswith(
        "Row 2 has a date that cannot be read: 'next Tuesday'. Use YYYY-MM-DD"
    )


def test_csv_url_must_be_a_web_address():
    data = (
        b"body,url\n"
        b"One.,ftp://example.com/file\n"
        b"Two.,javascript:alert(1)\n"
        b"Three.,https://example.org/news/1\n"
    )
    result = read_uploads([("rows.csv", data)])
    reasons = {r.name: r.reason for r in result.rejections}
    assert reasons["rows.csv#row 2"] == (
        "Row 2 has a link that is not a web address: 'ftp://example.com/file'. "
        "Only links starting with http:// or https:// are accepted."
    )
    assert "rows.csv#row 3" in reasons
    assert [a.source_url for a in result.articles] == ["https://example.org/news/1"]


def test_csv_with_too_many_rows_is_rejected_once_for_the_whole_file():
    data = b"body\n" + b"".join(b"Row %d.\n" % n for n in range(4))
    result = read_uploads([("rows.csv", data), GOOD], limits=UploadLimits(max_rows=3))
    assert result.rejections == [
        Rejection(
            "rows.csv",
            "The file has more than 3 rows, the limit per file. Split it into smaller files.",
        )
    ]
    assert [a.name for a in result.articles] == ["good.txt"]


def test_csv_in_windows_1252_is_read():
    data = "title;body\nÉté;Le prix est de 5 € à Paris, déjà payé.\n".encode("cp1252")
    assert read_uploads([("rows.csv", data)]).articles[0].raw == (
        "Été\n\nLe prix est de 5 € à Paris, déjà payé."
    )


# --- JSON Lines -----------------------------------------------------------------------------


def test_jsonl_broken_and_non_object_lines_are_rejected_and_the_rest_come_through():
    data = (
        b'{"title": "First", "body": "Body one.", "published": "2026-01-16"}\n'
        b"\n"
        b'{"title": "Broken", "body": "missing quote}\n'
        b'["not", "an", "object"]\n'
        b'{"body": "Body five.", "url": "http://example.com/5", "outlet": "AP"}\n'
        b'{"title": "No body"}\n'
    )
    result = read_uploads([("feed.jsonl", data)], default_outlet="Form")
    assert [(a.name, a.raw, a.outlet) for a in result.articles] == [
        ("feed.jsonl#line 1", "First\n\nBody one.", "Form"),
        ("feed.jsonl#line 5", "Body five.", "AP"),
    ]
    assert result.articles[0].default_published == date(2026, 1, 16)
    assert result.articles[1].source_url == "http://example.com/5"
    reasons = {r.name: r.reason for r in result.rejections}
    assert reasons["feed.jsonl#line 3"].startswith("Line 3 is not valid JSON")
    assert reasons["feed.jsonl#line 4"] == "Line 4 is not a JSON object (it is a list)."
    assert reasons["feed.jsonl#line 6"] == "Line 6 has no body."


def test_ndjson_is_read_like_jsonl_and_non_text_values_are_rejected():
    data = b'{"body": "Text.", "title": ["a", "list"]}\n{"body": "Fine."}\n'
    result = read_uploads([("feed.ndjson", data)])
    assert result.rejections == [
        Rejection("feed.ndjson#line 1", "Line 1 has a 'title' that is not text (it is a list).")
    ]
    assert [a.raw for a in result.articles] == ["Fine."]


def test_jsonl_with_too_many_lines_is_rejected_once_for_the_whole_file():
    data = b"".join(b'{"body": "Text %d."}\n' % n for n in range(3))
    result = read_uploads([("feed.jsonl", data)], limits=UploadLimits(max_rows=2))
    assert [r.name for r in result.rejections] == ["feed.jsonl"]
    assert result.articles == []


NEWS_PAGE = """<html><head><title>Meloni backs EU envoy to Moscow</title></head><body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<div class="article-body">
<h1>Meloni backs EU envoy to Moscow</h1>
<p>Italian Prime Minister Giorgia Meloni said on Thursday that the European Union should
appoint a special envoy to talk to Russia, arguing that Europe cannot leave the negotiations
over its own security to Washington alone.</p>
<p>Her remarks, made at a press conference in Rome, drew a cautious response from other
capitals, several of which said the time for talks had not yet come.</p>
<p>Officials in Brussels said the proposal would be discussed by foreign ministers next month,
but that no decision was expected before the summer.</p>
</div>
<div class="most-read"><h3>Most read</h3><ul><li><a href="/a">Ten recipes for autumn</a></li>
<li><a href="/b">Celebrity wedding photos</a></li>
<li><a href="/c">Weather warning</a></li></ul></div>
<div class="comments"><p>Comment by user123: first!</p></div>
</body></html>"""


def test_html_article_text_leaves_out_page_furniture_a_plain_parser_would_keep():
    title, text = html_to_text(NEWS_PAGE)
    assert title == "Meloni backs EU envoy to Moscow"
    assert "appoint a special envoy to talk to Russia" in text
    assert "no decision was expected before the summer" in text
    for furniture in ("cookies", "Ten recipes", "Celebrity wedding", "first!"):
        assert furniture not in text


def test_markdown_heading_marks_do_not_reach_the_title():
    text = "# Meloni calls for talks #\n\n## Rome\n\nMeloni said Europe should talk to Russia.\n"
    result = read_uploads([("meloni.md", text.encode())])
    [incoming] = result.articles
    assert incoming.raw.splitlines()[0] == "Meloni calls for talks"
    assert "#" not in incoming.raw


def test_a_csv_row_with_a_short_body_and_no_title_keeps_its_body():
    text = "body,outlet\nMacron wants talks with Moscow,Le Monde\n"
    [incoming] = read_uploads([("rows.csv", text.encode())]).articles
    parsed = parse_article(incoming.raw)
    assert parsed.body == "Macron wants talks with Moscow"


def test_a_jsonl_body_that_is_not_a_number_is_refused_not_stored_as_nan():
    result = read_uploads([("rows.jsonl", b'{"title": "T", "body": NaN}\n')])
    assert result.articles == []
    [rejection] = result.rejections
    assert "not a number" in rejection.reason


def test_utf8_with_one_stray_byte_stays_utf8_and_the_admin_is_told():
    data = "Réunion à Bruxelles: «dialogue» avec la Russie.".encode() + b"\xff" + b" Fin."
    [incoming] = read_uploads([("stray.txt", data)]).articles
    assert incoming.raw.startswith("Réunion à Bruxelles: «dialogue»")
    assert "\ufffd" in incoming.raw
    assert "1 invalid byte replaced" in incoming.note


def test_a_windows_1252_file_is_still_read_as_windows_1252():
    data = "Caf\u00e9 au lait, na\u00efve r\u00e9sum\u00e9.".encode("cp1252")
    [incoming] = read_uploads([("legacy.txt", data)]).articles
    assert incoming.raw == "Café au lait, naïve résumé."
    assert incoming.note == ""


# --- what the libraries bring: page metadata, per-row forms, format names -----------------

DATED_PAGE = b"""<html><head><title>Scholz wants a ceasefire | Example News</title>
<meta property="article:published_time" content="2026-01-14T08:00:00+01:00"></head>
<body><article><h1>Scholz wants a ceasefire</h1>
<p>Olaf Scholz said on Tuesday that Europe should press for a ceasefire and talks.</p>
<p>He spoke in Berlin after meeting the French president.</p></article>
<footer>Copyright 2026 Example News</footer></body></html>"""


def test_an_html_upload_keeps_its_publication_date_from_the_page_metadata():
    result = read_uploads([("page.html", DATED_PAGE)], default_published=date(2026, 3, 1))
    [incoming] = result.articles
    parsed = parse_article(incoming.raw)
    assert parsed.title == "Scholz wants a ceasefire"
    assert parsed.body.startswith("Olaf Scholz said on Tuesday")
    # The page's own date wins over the form's, and says it was found in the file.
    assert (parsed.published, parsed.published_source) == (date(2026, 1, 14), "header")


def test_an_html_upload_without_a_date_in_its_metadata_takes_the_form_date():
    page = DATED_PAGE.replace(
        b'<meta property="article:published_time" content="2026-01-14T08:00:00+01:00">', b""
    )
    [incoming] = read_uploads([("page.html", page)], default_published=date(2026, 3, 1)).articles
    assert parse_article(incoming.raw).published is None
    assert incoming.default_published == date(2026, 3, 1)


def test_a_csv_row_with_several_problems_gets_one_error_naming_the_row_and_each_problem():
    data = b"body,published,url\nFine row.,2026-01-16,\n,soon,ftp://example.com/x\n"
    result = read_uploads([("rows.csv", data)])
    assert [a.name for a in result.articles] == ["rows.csv#row 2"]
    reason = _only_rejection(result, "rows.csv#row 3")
    assert reason.startswith("Row 3 has no body. Row 3 has a date that cannot be read: 'soon'.")
    assert "Row 3 has a link that is not a web address: 'ftp://example.com/x'." in reason


def test_a_jsonl_line_with_a_bad_date_gets_an_error_naming_the_line():
    data = b'{"body": "One."}\n{"body": "Two.", "published": "31 February 2026"}\n'
    result = read_uploads([("feed.jsonl", data)])
    assert [a.name for a in result.articles] == ["feed.jsonl#line 1"]
    assert _only_rejection(result, "feed.jsonl#line 2").startswith(
        "Line 2 has a date that cannot be read: '31 February 2026'."
    )


def test_a_jsonl_body_with_a_nul_character_is_refused_naming_the_line_and_field():
    result = read_uploads([("feed.jsonl", b'{"body": "Talks\\u0000 resumed."}\n')])
    assert result.articles == []
    assert _only_rejection(result, "feed.jsonl#line 1").startswith(
        "Line 1 has a 'body' that cannot be used:"
    )


@pytest.mark.parametrize(
    "value", ["Friday, 16 January 2026", "16th January 2026", "JANUARY 16, 2026", "Jan. 16, 2026"]
)
def test_csv_published_dates_written_with_weekdays_ordinals_or_capitals_are_read(value):
    data = f'body,published\nText.,"{value}"\n'.encode()
    assert read_uploads([("rows.csv", data)]).articles[0].default_published == date(2026, 1, 16)


@pytest.mark.parametrize("text", ["MZ and ID3 are abbreviations.", "BZh is not a word either."])
def test_text_that_starts_like_a_binary_signature_is_still_text(text):
    [incoming] = read_uploads([("notes.txt", text.encode())]).articles
    assert incoming.raw == text


@pytest.mark.parametrize(
    "data, looks_like",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "an old-style Word or Excel document"),
        (b"SQLite format 3\x00" + bytes(40), "a database file"),
        (b"{\\rtf1\\ansi Hello}", "an RTF document; save it as plain text"),
    ],
)
def test_more_binary_formats_are_named(data, looks_like):
    result = read_uploads([("notes.txt", data)])
    assert _only_rejection(result, "notes.txt") == f"Not a text file (it looks like {looks_like})."
