"""Stories and paragraphs the stance tests share across layers (services and pages)."""

import pytest

from newsroom.services import actor_set
from stance import framing
from stance.services.analysis import articles_analyse
from tests.factories import TOLLS_REPORT, make_article, make_classified_article, make_story

# Two people quoted, whose direct quotes the analysis attributes.
QUOTES = "\n\n".join(
    [
        "Mayor Ann Hale said on Tuesday the council would appeal the ruling on the tolls.",
        '"We will not back down," Ms Hale said.',
        "Opposition councillor Tom Reyes called the appeal a waste of ratepayers' money.",
        '"It is throwing good money after bad," Mr Reyes said.',
    ]
)
# A heading, a plain news paragraph and an opinion one.
HEADED = (
    "Heading\n\nThe council voted 7-2 on Monday to raise parking fees by 5 per cent.\n\n"
    "This is frankly absurd, surely?"
)

# A news sentence and an opinion sentence in one paragraph, then a quote in another.
SENTENCES = (
    "The council voted 7-2 on Monday to raise parking fees by 5 per cent. "
    "Frankly, I think this is an absurd and shameful decision.\n\n"
    '"We had no choice," the mayor said.'
)


@pytest.fixture
def tolls_story(db):
    """A story of one report quoting Ann Hale and Tom Reyes, with no actors yet."""
    story = make_story("Harbour tolls")
    make_article(TOLLS_REPORT, story=story, headline="Council to appeal toll ruling")
    return story


@pytest.fixture
def quoted_story(db):
    """A story whose actors are Ann Hale and Tom Reyes, its one report analysed."""
    story = make_story("Harbour tolls")
    actor_set(story=story, name="Ann Hale", aliases=["Ms Hale", "Mayor"], pronoun="she")
    actor_set(story=story, name="Tom Reyes", aliases=["Mr Reyes"], pronoun="he")
    article = make_article(QUOTES, story=story, headline="Council to appeal toll ruling")
    articles_analyse(articles=[article])
    return story


@pytest.fixture
def hale_quote(quoted_story):
    """The paragraph with Hale's direct quote, and that quote as the analysis found it."""
    paragraph = quoted_story.articles.get().paragraphs.get(position=2)
    (quote,) = framing.ParagraphFraming.from_dict(paragraph.analysis.data).quotes
    return paragraph, quote


@pytest.fixture
def classified_paragraph(active_classifier):
    """The news paragraph of an article with a heading, classified by the active model."""
    article = make_classified_article(HEADED)
    return article.paragraphs.get(position=2)
