from actors.evidence import highlight_paragraphs, quote_context

BODY = "First paragraph here.\n\nMacron said talks are useful. Meloni agreed.\n\nLast one."


def test_quote_context_is_the_paragraph_around_the_quote():
    start = BODY.index("talks are useful")
    context = quote_context(BODY, start, start + len("talks are useful"))
    assert context.before == "Macron said "
    assert context.quote == "talks are useful"
    assert context.after == ". Meloni agreed."


def test_highlighted_paragraphs_keep_all_text_once():
    start = BODY.index("Macron")
    spans = [(start, start + 29, 7, "support"), (start + 5, start + 12, 8, "oppose")]
    paragraphs = highlight_paragraphs(BODY, spans)
    assert len(paragraphs) == 3
    middle = paragraphs[1]
    assert (
        "".join(segment.text for segment in middle)
        == "Macron said talks are useful. Meloni agreed."
    )
    assert [s.stance_id for s in middle if s.stance_id] == [7]
