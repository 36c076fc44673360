"""Page furniture rules and main-text alignment (pure: no database)."""

import pytest

from newsroom.furniture import MainText, furniture_reason, main_text

# Seen on real news pages, and variations on them: each is about the site, not the story.
FURNITURE = [
    ("Can't afford to contribute?", "contribution request"),
    ("Can’t afford to donate?", "contribution request"),
    (
        "By entering your email and pushing continue, you are agreeing to Fox News' Terms of "
        "Use and Privacy Policy, which includes our Notice of Financial Incentive.",
        "terms notice",
    ),
    ("By signing up, you agree to our privacy policy and terms of service.", "terms notice"),
    ("Want more? Sign up for our newsletter", "newsletter prompt"),
    ("Get the best of our journalism delivered to your inbox every weekday.", "newsletter prompt"),
    ("Sign up to receive our morning briefing", "subscription prompt"),
    ("Enter your email address", "newsletter prompt"),
    ("Follow Harbour News on X", "social media prompt"),
    ("Follow the Guardian on Instagram and Facebook", "social media prompt"),
    ("Follow us", "social media prompt"),
    ("Share on WhatsApp", "share prompt"),
    ("Click to share on LinkedIn (Opens in new window)", "share prompt"),
    ("Share this with Facebook", "share prompt"),
    ("Copy link", "share prompt"),
    (
        "We rely on readers like you to fund our reporting. Please consider making a "
        "contribution today.",
        "contribution request",
    ),
    ("Support independent journalism", "contribution request"),
    ("Become a member", "contribution request"),
    ("Already a subscriber? Log in", "subscription prompt"),
    ("Subscribe for unlimited access", "subscription prompt"),
    ("Start your free trial", "subscription prompt"),
    ("Terms of use | Privacy policy | Cookie settings", "terms notice"),
    ("Newsletters · Podcasts", "newsletter prompt"),
    ("Join the conversation", "comments prompt"),
    ("Comments (12)", "comments prompt"),
    ("You might also like", "related-content link"),
    ("Most read", "related-content link"),
    ("Listen to this article · 4 min", "listen prompt"),
    ("Skip to main content", "navigation link"),
    ("Advertisement", "advertisement"),
    ("© 2024 Harbour News. All rights reserved.", "copyright notice"),
    ("* * *", "decorative separator"),
]

# Reporting that shares their words: about someone else, quoted, or plainly a sentence.
CONTENT = [
    "The union said members could not afford to contribute more to the pension scheme.",
    "Subscriptions to the streaming service rose 12 per cent last year, the company said.",
    "“Sign up now,” the minister told voters at the rally.",
    '"Follow us on Instagram," the influencer urged her fans.',
    "Readers can sign up for the free newsletter at the library, the council said.",
    "Privacy policy changes were announced by the regulator on Tuesday.",
    "Share prices fell 3 per cent on Monday.",
    "Follow-up talks on Monday ended without a deal.",
    "The newsletter, which she founded in 2019, now has 40,000 subscribers.",
    "Support for the bill fell sharply after the vote.",
    "Donations to the hospital appeal reached $2 million by Friday.",
    "Comments made by the mayor last week drew criticism from residents.",
    "Talks stall",
    "Port workers walked off the job at dawn on Monday.",
    "He said the terms of the deal would be released on Friday.",
    "Wellington | Port workers walked off the job at dawn on Monday after talks failed.",
]


@pytest.mark.parametrize(("text", "reason"), FURNITURE, ids=[t[:40] for t, _ in FURNITURE])
def test_it_recognises_page_furniture(text, reason):
    assert furniture_reason(text) == reason


@pytest.mark.parametrize("text", CONTENT, ids=[t[:40] for t in CONTENT])
def test_it_keeps_reporting_that_uses_the_same_words(text):
    assert furniture_reason(text) is None


def test_a_long_paragraph_is_never_furniture():
    text = "Sign up for our newsletter. " + "The council met for six hours on Monday. " * 10
    assert furniture_reason(text) is None


def test_main_text_matches_blocks_in_order_and_not_stray_words_far_below():
    main = MainText(["Port workers strike over pay", "Workers walked out at dawn on Monday."])
    assert not main.contains("Harbour News")  # a logo, not in the main text
    assert main.contains("Port workers strike over pay")
    assert main.contains("Workers walked out at dawn")  # part of a paragraph (a <br> line)
    assert not main.contains("Port workers strike over pay")  # already passed


def test_main_text_of_a_whole_page_leaves_out_logo_and_related_links():
    page = """<!doctype html><html><head><title>Port strike | Harbour News</title>
    <meta property="og:site_name" content="Harbour News">
    <meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
    <body><div class="logo">Harbour News</div><article><h1>Port strike</h1>
    <p>Port workers walked off the job at dawn on Monday, halting container traffic.</p>
    <p>The company said it had offered a 4 per cent rise and accused the union of delay.</p>
    </article><div class="related-links"><a href="/a">Ferry fares to rise again</a></div>
    </body></html>"""
    main, metadata = main_text(page)
    assert (metadata.title, metadata.site_name, metadata.date) == (
        "Port strike",
        "Harbour News",
        "2024-03-05",
    )
    assert main is not None
    assert not main.contains("Harbour News")
    assert main.contains("Port workers walked off the job at dawn on Monday, halting traffic.") is (
        False
    )
    assert main.contains("Port workers walked off the job at dawn on Monday, halting container")
    assert not main.contains("Ferry fares to rise again")


def test_a_page_without_main_text_gives_none():
    main, _metadata = main_text("<html><body><nav>Home</nav></body></html>")
    assert main is None
