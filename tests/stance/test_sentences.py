"""Sentence boundaries for news text (stance.sentences, pure)."""

from stance.sentences import sentence_spans


def sentences(text, **kw):
    return [text[s:e] for s, e in sentence_spans(text, **kw)]


def test_titles_and_initialisms_do_not_end_a_sentence():
    text = (
        "Mr. Goff met U.S. officials on Sept. 11 in Washington. Dr. Smith was not there. "
        "Nor was Mrs. Jones."
    )
    assert sentences(text) == [
        "Mr. Goff met U.S. officials on Sept. 11 in Washington.",
        "Dr. Smith was not there.",
        "Nor was Mrs. Jones.",
    ]


def test_a_quotation_over_several_sentences_stays_whole():
    text = 'Labour lost. "We lost. We will be back. Count on it," Mr Goff said. Then he left.'
    assert sentences(text) == [
        "Labour lost.",
        '"We lost. We will be back. Count on it," Mr Goff said.',
        "Then he left.",
    ]
    # without the rule Punkt splits inside the quotation
    assert len(sentences(text, whole_quotes=False)) == 5


def test_curly_quotes_and_a_quotation_left_open_to_the_end():
    text = "He said: \u201cThis is the end. It is over. And it continues"
    assert sentences(text) == [text]
    text = "\u201cNo.\u201d Mr. Trump said it twice. He left."
    assert sentences(text)[-1] == "He left."
    assert not any(s.endswith("Mr.") for s in sentences(text))


def test_spans_cover_the_text_without_the_spaces_between():
    text = "  One sentence here.   Another one?  Yes!  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["One sentence here.", "Another one?", "Yes!"]
    assert sentence_spans("   ") == []
    assert sentences("no final stop") == ["no final stop"]


def test_cost_stays_linear():
    import time

    def seconds(text):
        t0 = time.perf_counter()
        spans = sentence_spans(text)
        return time.perf_counter() - t0, len(spans)

    one = "Mr. Smith said the U.S. plan \u201cworks. It really does,\u201d he said. " * 200
    small, n_small = seconds(one)
    large, n_large = seconds(one * 20)
    assert (n_small, n_large) == (200, 4000)
    assert large < 60 * small + 0.5


def test_a_caller_changing_its_spans_changes_nobody_elses():
    """The splits are cached per text; each call gets a list of its own."""
    text = "The vote was close. The count took all night."
    first = sentence_spans(text)
    first.append((0, 1))
    first[0] = (5, 5)
    assert sentence_spans(text) == [(0, 19), (20, 45)]
    assert sentence_spans(text, whole_quotes=False) == [(0, 19), (20, 45)]
