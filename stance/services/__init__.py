"""Writes of the editorial loop, one module per concern (HackSoft style, `<entity>_<action>`).

Reads live in stance.selectors and background jobs in stance.jobs. The names below are
re-exported while callers move to the modules themselves; new code imports the module.
"""

from stance.services.actors import (
    actor_accept,
    actor_hide,
    actor_merge,
    actor_rename,
    story_actors_propose,
)
from stance.services.analysis import (
    ANALYSIS_VERSION,
    actor_sentiment_score,
    actor_sentiment_scorer,
    articles_analyse,
    framing_inputs,
)
from stance.services.classification import (
    CLASSIFY_BATCH,
    articles_classify,
    paragraph_voices,
    paragraphs_classify,
)
from stance.services.labels import (
    label_create,
    label_undo,
    label_undo_last,
    sentence_label_create,
)
from stance.services.speaker_corrections import speaker_correct
from stance.services.training_sets import training_set_import, training_set_read
from stance.services.versions import (
    actor_sentiment_train,
    candidate_evaluate,
    classifier_ensure,
    model_activate,
    model_discard,
    model_train,
)

__all__ = [
    "ANALYSIS_VERSION",
    "CLASSIFY_BATCH",
    "actor_accept",
    "actor_hide",
    "actor_merge",
    "actor_rename",
    "actor_sentiment_score",
    "actor_sentiment_scorer",
    "actor_sentiment_train",
    "articles_analyse",
    "articles_classify",
    "candidate_evaluate",
    "classifier_ensure",
    "framing_inputs",
    "label_create",
    "label_undo",
    "label_undo_last",
    "model_activate",
    "model_discard",
    "model_train",
    "paragraph_voices",
    "paragraphs_classify",
    "sentence_label_create",
    "speaker_correct",
    "story_actors_propose",
    "training_set_import",
    "training_set_read",
]
