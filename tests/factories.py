"""Small builders for test objects (no JSON fixtures)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsroom import ingest
from newsroom.models import Article, Outlet, Story
from newsroom.services import ArticleDraft, article_upload, story_get_or_create
from stance.services.classification import articles_classify

PASSWORD = "correct horse battery staple"


def make_user(username: str, *group_names: str):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    for name in group_names:
        user.groups.add(Group.objects.get(name=name))
    return user


def make_story(title: str = "Harbour bridge tolls") -> Story:
    return story_get_or_create(title=title)


def make_outlet(name: str = "The Daily Record") -> Outlet:
    return Outlet.objects.get_or_create(name=name)[0]


def make_article(
    text: str = "The council voted 7-2 to raise tolls.\n\nIt is a shameful decision.",
    *,
    story: Story | None = None,
    outlet: Outlet | None = None,
    headline: str = "Tolls rise",
    genre: str = Article.Genre.NEWS,
    published: datetime.date | None = None,
) -> Article:
    draft = ArticleDraft(
        document=ingest.ingest_text(text),
        source="pasted text",
        headline=headline,
        genre=genre,
        published=published,
    )
    (article,) = article_upload(
        story=story or make_story(), outlet=outlet or make_outlet(), drafts=[draft]
    )
    return article


def make_classified_article(*args, **fields) -> Article:
    """make_article, its paragraphs then read by the active classifier (a test that calls it
    asks for active_classifier)."""
    article = make_article(*args, **fields)
    articles_classify(articles=[article])
    return article


# A tiny labelled corpus: enough for a classifier to train in a second.
NEWS = [
    "The council voted 7-2 on Tuesday to raise rates by 4 per cent.",
    '"This is a disgrace," the mayor said after the vote.',
    "Police said the man was arrested at 3am and will appear in court on Monday.",
    "The minister said the decision was petty and the board had been vindictive.",
    "Shares in the company fell 3.2 per cent to $4.15 in early trade.",
    "According to the union, the offer was an insult to nurses.",
    "The bridge will close for repairs from June 1, the transport agency said.",
    '"I think it is a ridiculous overreaction," Mr Hale told reporters.',
    "The report found 14 schools had failed to meet the new standard.",
    "Firefighters were called to the warehouse at 10.15pm.",
    "The court heard the company had ignored three warnings from inspectors.",
    "Residents asked whether the pipeline would pass under the school.",
    "The team won 24-10 in front of a crowd of 30,000.",
    "He said he would appeal the ruling and called it unjust.",
    "The hospital said 12 patients had been moved to other wards.",
    "The opposition leader described the budget as cynical, according to a statement.",
    "Rainfall in July was 40 per cent above the long-term average, forecasters said.",
    "The chief executive resigned on Friday after a board meeting.",
    '"We will not back down," the union organiser said.',
    "The election will be held on November 8, officials confirmed.",
]
OPINION = [
    "This is, frankly, the most cynical budget in a generation.",
    "The council should be ashamed of itself.",
    "Surely it is time the minister admitted he got this wrong?",
    "I have never seen a more shambolic performance from a government.",
    "Nobody should be surprised by this absurd decision.",
    "What exactly is the point of a regulator that never regulates?",
    "We must do better, and we must start now.",
    "It was, quite simply, the worst match I have ever watched.",
    "One suspects the board knew far more than it has admitted.",
    "Perhaps the mayor will finally listen to the people who elected her.",
    "The plan is a disaster dressed up as reform.",
    "Carter certainly has a funny way of showing loyalty.",
    "This newspaper believes the law is wrong and should be repealed.",
    "Two per cent is not an offer; it is an insult.",
    "How many more reports will it take before anyone acts?",
    "The minister's excuses are hardly convincing.",
    "Let us be clear: this is a failure of leadership.",
    "It is hard to see how anyone could defend such a shameful policy.",
    "Frankly, the board has lost the confidence of everyone who matters.",
    "The government should stop pretending the crisis will solve itself.",
]


def write_tsv(path, rows):
    path.write_text(
        "id\ttext\tlabel\n"
        + "".join(f"r{i}\t{text}\t{label}\n" for i, (text, label) in enumerate(rows)),
        encoding="utf-8",
    )
    return path


# A report quoting two people and naming an organisation once, and a column calling the
# two by their surnames: the people a story's actors are proposed from.
TOLLS_REPORT = "\n\n".join(
    [
        "Mayor Ann Hale said on Tuesday the council would appeal the ruling on the tolls.",
        '"We will not back down," Ms Hale said.',
        "Opposition councillor Tom Reyes called the appeal a waste of ratepayers' money.",
        '"It is throwing good money after bad," Mr Reyes said.',
        "The Harbour Trust runs the bridge and its tolls.",
    ]
)
TOLLS_COLUMN = "\n\n".join(
    [
        "Hale has picked the wrong fight, and Reyes knows it.",
        '"Nobody voted for this," Reyes told a meeting on Thursday.',
    ]
)
