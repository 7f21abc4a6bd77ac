"""Topic and tag inference for imported cards.

A card's theme is the keyword group it mentions most (question counts most, then its heading,
then its answer); its topic is the curated bank in ``questions/core`` that covers the theme
(``sampling`` -> ``transformers-llm``), so imported cards join the curated topics in filters,
stats and the quiz's topic rotation. Tags come from the note's front matter, the card's heading
(unless the question names it), a theme narrower than its topic, the runner-up theme, and
``coding`` for coding tasks (which take ``coding`` as their topic when no keyword fits).
``--topic`` and ``--tag`` (and a ``topic:`` in the front matter) override or extend this.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from mlprep.importer.card import Card, first_word

FALLBACK_TOPIC = "general"
CODING_VERBS = frozenset({"write", "implement", "debug", "code", "build"})

TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "sampling": (
        "top-k",
        "top_k",
        "topk",
        "top-p",
        "top_p",
        "nucleus",
        "temperature",
        "beam search",
        "greedy",
        "sampling",
    ),
    "transformers": (
        "transformer",
        "attention",
        "positional encoding",
        "rope",
        "bmm",
        "batch matrix",
        "kv cach",
        "gpt",
        "bert",
        "encoder",
        "decoder",
    ),
    "llm": (
        "llm",
        "language model",
        "lora",
        "chatgpt",
        "autoregressive",
        "fine-tun",
        "finetun",
        "distillation",
        "token",
    ),
    "tensorflow": ("tensorflow", "keras", "tf.", "tflite"),
    "inference-deployment": (
        "inference",
        "serving",
        "deploy",
        "latency",
        "production",
        "quantiz",
        "pruning",
        "throughput",
        "profiler",
        "a/b testing",
    ),
    "cnn": ("convolution", "conv2d", "cnn", "pooling", "kernel"),
    "computer-vision": ("image", "face", "frame", "video", "vision", "pixel"),
    "recommender-systems": ("recommend", "recsys", "collaborative", "user-item", "item-item"),
    "mlops-testing": ("unit test", "integration test", "regression test", "pytest", "testing"),
    "probability-statistics": (
        "gaussian",
        "gmm",
        "em algo",
        "probability",
        "variance",
        "correlation",
    ),
    "ml-fundamentals": (
        "overfit",
        "precision",
        "recall",
        "supervised",
        "loss",
        "gradient",
        "regulariz",
        "multilabel",
        "cross-entropy",
        "learning rate",
        "softmax",
        "sigmoid",
        "linear layer",
    ),
    "behavioral": (
        "describe a",
        "a time when",
        "stay updated",
        "worked on",
        "team",
        "summary of work",
        "project",
    ),
}
# themes narrower than a curated topic; every other theme is a curated topic's own name
CURATED_TOPIC = {
    "sampling": "transformers-llm",
    "transformers": "transformers-llm",
    "llm": "transformers-llm",
    "tensorflow": "frameworks-api",
}
CURATED_TOPICS = (
    "behavioral", "classical-ml", "cnn", "computer-vision", "deep-learning", "frameworks-api",
    "inference-deployment", "ml-fundamentals", "mlops-testing", "nlp-speech", "optimization",
    "probability-statistics", "recommender-systems", "sequence-models", "training-at-scale",
    "transformers-llm",
)
# Section names other people's lists use, onto the curated topics (matched as whole words, the
# longest phrase first, so "Neural networks for computer vision" is vision, not deep learning).
HEADING_TOPICS: dict[str, tuple[str, ...]] = {
    "classical-ml": (
        "decision tree", "decision trees", "random forest", "random forests", "gradient boosting",
        "boosting", "bagging", "ensembles", "ensemble methods", "clustering", "k-means", "kmeans",
        "svm", "svms", "support vector machines", "knn", "k-nearest neighbors", "naive bayes",
        "dimensionality reduction", "pca", "linear regression", "logistic regression",
        "linear models", "tree-based methods", "unsupervised learning", "classical ml",
        "classical machine learning",
    ),
    "ml-fundamentals": (
        "supervised machine learning", "supervised learning", "validation", "classification",
        "regularization", "regularisation", "feature selection", "feature engineering",
        "parameter tuning", "hyperparameter tuning", "bias and variance", "metrics", "evaluation",
        "ml fundamentals", "machine learning basics", "fundamentals",
    ),
    "deep-learning": (
        "neural networks", "neural network", "deep learning", "activation functions",
        "backpropagation", "neural network fundamentals", "regularization techniques",
    ),
    "optimization": ("optimization", "optimisation", "optimizers", "optimisers", "gradient descent",
                     "optimization in neural networks", "learning rate schedules"),
    "computer-vision": ("computer vision", "neural networks for computer vision", "object detection",
                        "image classification", "segmentation"),
    "cnn": ("cnn", "cnns", "convolutional neural networks", "convolutions"),
    "nlp-speech": ("text classification", "nlp", "natural language processing", "speech",
                   "word embeddings", "text"),
    "sequence-models": ("rnn", "rnns", "lstm", "rnns / lstms / grus", "sequence models", "time series"),
    "recommender-systems": ("recommender systems", "recommendation systems", "ranking and search",
                            "ranking", "search", "recommendations"),
    "probability-statistics": ("probability", "statistics", "probability and statistics",
                               "hypothesis testing", "experimentation", "a/b testing"),
    "transformers-llm": ("transformers", "attention", "llm", "llms", "large language models",
                         "sampling", "decoding"),
    "inference-deployment": ("deployment", "serving", "inference", "model serving"),
    "mlops-testing": ("testing", "mlops", "ml testing"),
    "training-at-scale": ("distributed training", "training at scale", "parallelism",
                          "mixed precision training"),
    "frameworks-api": ("pytorch", "tensorflow", "keras", "numpy", "frameworks"),
    "behavioral": ("behavioral", "behavioural", "behavioral questions", "soft skills"),
}
_HEADING_PHRASES = sorted(
    ((phrase, topic) for topic, phrases in HEADING_TOPICS.items() for phrase in phrases),
    key=lambda item: -len(item[0]),
)
_KEYWORD_TOPIC = {k: topic for topic, keys in TOPIC_KEYWORDS.items() for k in keys}
# one scan per text: every keyword, longest first, not starting inside a word
_KEYWORDS_RE = re.compile(
    r"(?<![a-z0-9])("
    + "|".join(re.escape(k) for k in sorted(_KEYWORD_TOPIC, key=len, reverse=True))
    + ")"
)


def slug(text: str) -> str:
    """``"Tensorflow Quiz - interview-oriented"`` -> ``"tensorflow-quiz-interview-oriented"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9/+-]+", " ", text.lower()).strip() + " "


_GENERIC = re.compile(r"\b(?:interview|questions?|answers?|and answers|q&a|faq|basics|quiz)\b")
_HEADING_INDEX = {phrase: topic for phrase, topic in _HEADING_PHRASES}


def heading_topic(heading: str) -> str | None:
    """The curated topic a section name stands for ("Random forest" -> classical-ml), or None.

    The heading must be the name of the subject (words such as "questions" aside), not merely
    mention it: "Write the transformer layer with PyTorch" names no section.
    """
    name = " ".join(_GENERIC.sub(" ", _words(heading)).split())
    return _HEADING_INDEX.get(name)


def curated_topic(name: str) -> str | None:
    """The curated topic a topic name given in a note means (``transformers`` ->
    ``transformers-llm``), or None when it means none of them."""
    key = slug(name)
    if key in CURATED_TOPICS:
        return key
    if key in CURATED_TOPIC:
        return CURATED_TOPIC[key]
    by_heading = heading_topic(name)
    if by_heading:
        return by_heading
    for topic in CURATED_TOPICS:
        if key and key in topic.split("-"):
            return topic
    return None


def _hits(text: str) -> Counter[str]:
    """For each topic, how many of its keywords the (lower-case) text mentions."""
    return Counter(_KEYWORD_TOPIC[k] for k in set(_KEYWORDS_RE.findall(text)))


def topic_scores(card: Card) -> Counter[str]:
    scores: Counter[str] = Counter()
    for weight, text in ((3, card.question), (2, card.heading), (1, card.answer)):
        for topic, hits in _hits(text.lower()).items():
            scores[topic] += weight * hits
    return scores


def _ranked(scores: Counter[str]) -> list[str]:
    order = list(TOPIC_KEYWORDS)
    return sorted(scores, key=lambda t: (-scores[t], order.index(t)))


def front_matter_tags(front: dict[str, Any]) -> list[str]:
    """``tags:`` as a YAML list or a comma/space separated string, without ``#``."""
    raw = front.get("tags") or front.get("tag") or []
    if isinstance(raw, str):
        raw = re.split(r"[,\s]+", raw)
    if not isinstance(raw, list):
        return []
    return [str(t).lstrip("#").strip() for t in raw if str(t).lstrip("#").strip()]


def assign(
    cards: list[Card],
    front: dict[str, Any],
    topic: str | None = None,
    tags: list[str] | None = None,
) -> list[tuple[str, list[str]]]:
    """(topic, tags) for each card."""
    base_tags = front_matter_tags(front)
    fixed = topic
    if not fixed and isinstance(front.get("topic"), str) and front["topic"].strip():
        written = front["topic"].strip()
        fixed = curated_topic(written) or written
        if fixed != written:
            base_tags.append(slug(written))  # the note's own name for it stays as a tag
    ranked = [_ranked(topic_scores(c)) for c in cards]
    note_topic = Counter(r[0] for r in ranked if r).most_common(1)
    fallback = note_topic[0][0] if note_topic else FALLBACK_TOPIC
    result: list[tuple[str, list[str]]] = []
    for card, order in zip(cards, ranked, strict=True):
        coding = first_word(card.question) in CODING_VERBS
        theme = order[0] if order else ("coding" if coding else fallback)
        named = next((h for h in (card.heading, card.section) if h and heading_topic(h)), "")
        by_heading = heading_topic(named) if named else None
        chosen = fixed or by_heading or CURATED_TOPIC.get(theme, theme)
        card_tags = list(base_tags)
        if slug(card.heading) and card.heading.lower() not in card.question.lower():
            card_tags.append(slug(card.heading))
        if named and not fixed:
            card_tags.append(slug(named))  # the section's own name, kept beside the curated topic
        if not fixed and theme in CURATED_TOPIC:
            card_tags.append(theme)
        if not fixed and len(order) > 1:
            card_tags.append(order[1])
        if coding:
            card_tags.append("coding")
        card_tags.extend(tags or [])
        result.append((chosen, list(dict.fromkeys(t for t in card_tags if t != chosen))))
    return result
