"""The two labels a paragraph can have: the classifier's classes and the editors' verdicts.

Pure module (no Django, no scikit-learn), so the models and the classifier share it cheaply.
"""

LABELS: tuple[str, ...] = ("news", "opinion")

# Django field choices: ("news", "News"), ("opinion", "Opinion")
LABEL_CHOICES: list[tuple[str, str]] = [(label, label.capitalize()) for label in LABELS]
