"""Learning from the commissioner's codes: per-theme classifiers over words, characters and rules.

Each theme gets a logistic regression trained on the codebook's definitions and examples, the
rules' own coding of the comments (weak labels, down-weighted) and the commissioner's codes
(strong labels). The features are word and character TF-IDF n-grams, one column per codebook
rule and each comment's meaning vector (embeddings.py), so a theme the codebook does not have
is learned from the codes alone. How the model and
the rules are combined is chosen per theme by cross-validation on the codes (learn_rules.py): the
model adds a theme only where that beats the rules on held-out codes, and a rule the codes keep
contradicting stops counting. Everything is seeded and tie-broken by row: same inputs, same
output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from .discover import features
from .embeddings import EMBEDDING_WIDTH, embed
from .learn_rules import NEVER, Decision, choose, distrusted_rules, trusted_rule_codes
from .quotes import Matrix
from .stats import wilson
from .text import content_stems

if TYPE_CHECKING:
    from instruments.codebook import Codebook

Models = dict[str, "LogisticRegression | float"]
Codes = Mapping[int, Sequence[str]]

CODE_WEIGHT = 4.0  # one commissioner's code counts as four weak (rule) labels
EXAMPLE_WEIGHT = 2.0  # the codebook's own examples and definitions
WEAK_WEIGHT = 0.5  # the rules' coding of comments nobody has coded
MAX_WEAK_ROWS = 4000  # weak labels sampled beyond this: they teach the rules, not new words
THRESHOLD = 0.5  # suggestions are offered from half this
FOLDS = 5
MIN_CV_CODES = 10  # fewer codes than this: no cross-validated estimate
TARGET_HALF_WIDTH = 0.15  # "how many more codes" aims at a ±15-point interval
# The comment's meaning vector against its unit-length word and character rows: at 8 it, not the
# spelling, decides which comments are alike, so --ask spreads over meanings (docs/theming.md).
MEANING_WEIGHT = 8.0
# Cosine at which two comments say the same thing in WordLlama's space: one word changed in a
# sentence scores about 0.6, a paraphrase 0.25-0.3, an unrelated comment under 0.1.
SAME_MEANING = 0.6


@dataclass(frozen=True)
class Estimate:
    """A theme's precision and recall, cross-validated on the commissioner's own codes."""

    theme: str
    coded_with: int  # codes that carry the theme
    precision: float | None
    precision_ci: tuple[float, float] | None
    recall: float | None
    recall_ci: tuple[float, float] | None
    more_codes: int | None  # about this many more codes narrow both to ±15 points


@dataclass
class Learned:
    """Combined codes for every row, suggestions, the rows worth coding next and estimates."""

    themes: dict[int, list[str]]
    suggestions: dict[int, list[tuple[str, float]]] = field(default_factory=dict)
    ask: list[int] = field(default_factory=list)
    estimates: list[Estimate] = field(default_factory=list)
    coded_rows: list[int] = field(default_factory=list)

    @property
    def codes(self) -> int:
        """How many comments the commissioner has coded."""
        return len(self.coded_rows)


@dataclass(frozen=True)
class Training:
    """What the model learns from besides the comments: codebook text and the rule names."""

    theme_ids: tuple[str, ...]
    texts: tuple[str, ...] = ()  # definitions and examples
    labels: tuple[tuple[str, ...], ...] = ()  # the theme of each text
    rules: tuple[str, ...] = ()  # every rule's description, in a fixed order


def codebook_training(codebook: Codebook | None) -> Training:
    """The codebook's definitions, examples and include phrases as labelled training text."""
    texts, labels, rules = [], [], []
    for theme in codebook.themes if codebook else ():
        for text in (theme.definition, *theme.examples, " ; ".join(theme.include)):
            if text.strip():
                texts.append(text)
                labels.append((theme.id,))
        rules += [f'{theme.id}: include "{phrase}"' for phrase in theme.include]
        rules += [f'{theme.id}: pattern "{pattern}"' for pattern in theme.patterns]
    theme_ids = tuple(theme.id for theme in codebook.themes) if codebook else ()
    return Training(theme_ids, tuple(texts), tuple(labels), tuple(rules))


class _Features:
    """Word and character TF-IDF plus rule columns, fitted once on comments and codebook text."""

    def __init__(self, texts: Sequence[str], rules: Sequence[str]):
        self.words = TfidfVectorizer(
            analyzer=_word_features, min_df=1, sublinear_tf=True, dtype=np.float32
        )
        self.chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            min_df=2,
            max_features=40000,
            sublinear_tf=True,
            dtype=np.float32,
        )
        lowered = [text.lower() for text in texts]
        self.words.fit(lowered)
        self.chars.fit(lowered)
        self.rule_index = {rule: index for index, rule in enumerate(rules)}

    def matrix(
        self, texts: Sequence[str], matched: Sequence[Sequence[str]], meaning: np.ndarray
    ) -> csr_matrix:
        """Feature rows of texts, with the rules each matched and their meaning vectors."""
        if not texts:  # no codebook text to learn from: an empty block of the right width
            width = (
                len(self.words.vocabulary_)
                + len(self.chars.vocabulary_)
                + max(1, len(self.rule_index))
                + EMBEDDING_WIDTH
            )
            return csr_matrix((0, width), dtype=np.float32)
        lowered = [text.lower() for text in texts]
        rows, cols = [], []
        for row, fired in enumerate(matched):
            for rule in fired:
                if rule in self.rule_index:
                    rows.append(row)
                    cols.append(self.rule_index[rule])
        rule_block = csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(texts), max(1, len(self.rule_index))),
        )
        return hstack(
            [
                self.words.transform(lowered),
                self.chars.transform(lowered),
                rule_block,
                csr_matrix(meaning * MEANING_WEIGHT),
            ],
            format="csr",
            dtype=np.float32,
        )


def _word_features(text: str) -> list[str]:
    return features(content_stems(text))


def learn(
    texts: Mapping[int, str],
    rule_codes: Mapping[int, Sequence[str]],
    matched: Mapping[int, Sequence[str]],
    training: Training,
    coded: Mapping[int, Sequence[str]],
    ask: int = 0,
    seed: int = 0,
    estimate: bool = True,
) -> Learned:
    """Train on codebook text, rules and codes; code every row, pick `ask` rows to code next.

    `texts`, `rule_codes` and `matched` (the rules that fired) are keyed by row and hold only
    the rows that are comments. Rows in `coded` keep exactly the commissioner's codes.
    """
    rows = sorted(texts)
    if not rows:  # no comments: nothing to learn from or to ask about
        return Learned({})
    theme_ids = list(training.theme_ids) + sorted(
        {theme for codes in coded.values() for theme in codes} - set(training.theme_ids)
    )
    featurizer = _Features([texts[row] for row in rows] + list(training.texts), training.rules)
    meaning = embed([texts[row] for row in rows])
    corpus = featurizer.matrix(
        [texts[row] for row in rows], [matched[row] for row in rows], meaning
    )
    examples = featurizer.matrix(
        training.texts, [() for _ in training.texts], embed(training.texts)
    )
    position = {row: i for i, row in enumerate(rows)}
    data = _Data(corpus, examples, meaning, training, rows, position, seed)
    coded_rows = [row for row in rows if row in coded]
    # A rule the codes keep contradicting stops counting, for the model's labels and the coding.
    trusted = trusted_rule_codes(rule_codes, matched, distrusted_rules(matched, coded))
    models = _fit(data, trusted, coded, coded_rows, theme_ids)
    probabilities = _predict(models, corpus, theme_ids)
    folds = _out_of_fold(data, rule_codes, matched, coded, coded_rows, theme_ids)
    known = set(training.theme_ids)
    decisions = {
        theme: (
            choose(folds.scores[:, i], folds.rules[:, i], folds.truth[:, i], theme in known)
            if folds.usable
            else Decision(NEVER if theme in known else THRESHOLD, 0.0)
        )
        for i, theme in enumerate(theme_ids)
    }
    combined, suggestions = {}, {}
    for row in rows:
        if row in coded:
            combined[row] = [t for t in theme_ids if t in set(coded[row])]
            continue
        scores = probabilities[data.position[row]]
        if coded:
            rules = trusted.get(row, set())
            combined[row] = [
                t for i, t in enumerate(theme_ids) if decisions[t].code(scores[i], t in rules)
            ]
        else:  # nothing learned from a person yet: the codebook's coding stands
            combined[row] = [t for t in theme_ids if t in set(rule_codes.get(row, ()))]
        suggestions[row] = [
            (t, round(float(scores[i]), 3))
            for i, t in enumerate(theme_ids)
            if scores[i] >= THRESHOLD / 2 and t not in combined[row]
        ]
    chosen = _ask(probabilities, corpus, rows, coded, combined, ask) if ask else []
    estimates = (
        [
            _estimate(theme, *folds.counts(i, theme in known), len(coded_rows))
            for i, theme in enumerate(theme_ids)
        ]
        if estimate and folds.usable
        else []
    )
    return Learned(combined, suggestions, chosen, estimates, coded_rows)


@dataclass(frozen=True)
class _Data:
    """The feature rows of the comments and of the codebook's own text, and where each row is."""

    corpus: Matrix
    examples: Matrix
    meaning: np.ndarray  # each comment's unit meaning vector, by position
    training: Training
    rows: Sequence[int]
    position: Mapping[int, int]
    seed: int


def _fit(
    data: _Data,
    rule_codes: Mapping[int, set[str]],
    coded: Codes,
    train_rows: Sequence[int],
    theme_ids: Sequence[str],
    exclude: frozenset[int] = frozenset(),
) -> Models:
    """One classifier per theme (0.0, coding nothing, when its labels are all one class).

    Trained on the codebook's text, the (trusted) rules' coding of the comments nobody coded as
    weak labels, and the codes. For a theme the codebook lacks the weak labels are negatives:
    most comments are not about it; without them a few codes would spread it over everything.
    """
    weak = [row for row in data.rows if row not in coded and row not in exclude]
    if len(weak) > MAX_WEAK_ROWS:
        picked = np.random.default_rng(data.seed).choice(len(weak), MAX_WEAK_ROWS, replace=False)
        weak = [weak[index] for index in sorted(picked)]
    matrix = _stack(
        data.examples,
        data.corpus[[data.position[row] for row in weak]],
        data.corpus[[data.position[row] for row in train_rows]],
    )
    weights = np.concatenate(
        [
            np.full(data.examples.shape[0], EXAMPLE_WEIGHT),
            np.full(len(weak), WEAK_WEIGHT),
            np.full(len(train_rows), CODE_WEIGHT),
        ]
    )
    labels = (
        [set(label) for label in data.training.labels]
        + _weak_labels(data, weak, train_rows, rule_codes, coded)
        + [set(coded[row]) for row in train_rows]
    )
    models: Models = {}
    for theme in theme_ids:
        target = np.array([theme in label for label in labels])
        if target.all() or not target.any():
            # One class only: nothing to learn a boundary from, so the model codes nothing.
            models[theme] = 0.0
            continue
        model = LogisticRegression(
            C=4.0,
            solver="liblinear",
            random_state=data.seed,
            max_iter=200,
        )
        model.fit(matrix, target, sample_weight=weights)
        models[theme] = model
    return models


@dataclass(frozen=True)
class _Folds:
    """Out-of-fold probabilities for the coded rows, the rules' say and the codes' truth."""

    scores: np.ndarray
    rules: np.ndarray
    truth: np.ndarray
    fold: np.ndarray

    @property
    def usable(self) -> bool:
        """Enough codes to cross-validate."""
        return len(self.fold) >= MIN_CV_CODES

    def counts(self, column: int, known: bool) -> tuple[int, int, int]:
        """True and false positives and misses, each fold coded by a decision chosen on the rest."""
        hits = false_pos = misses = 0
        for fold in range(FOLDS):
            rest, held = self.fold != fold, self.fold == fold
            decision = choose(
                self.scores[rest, column], self.rules[rest, column], self.truth[rest, column], known
            )
            guess = np.array(
                [
                    decision.code(p, r)
                    for p, r in zip(
                        self.scores[held, column], self.rules[held, column], strict=True
                    )
                ],
                dtype=bool,
            )
            truth = self.truth[held, column]
            hits += int((guess & truth).sum())
            false_pos += int((guess & ~truth).sum())
            misses += int((~guess & truth).sum())
        return hits, false_pos, misses


def _out_of_fold(
    data: _Data,
    rule_codes: Codes,
    matched: Mapping[int, Sequence[str]],
    coded: Codes,
    coded_rows: Sequence[int],
    theme_ids: Sequence[str],
) -> _Folds:
    """Each coded row predicted by a model that saw neither its code nor its weak label."""
    width = len(theme_ids)
    if len(coded_rows) < MIN_CV_CODES:
        empty = np.zeros((len(coded_rows), width))
        return _Folds(empty, empty.astype(bool), empty.astype(bool), np.zeros(len(coded_rows)))
    fold_of = np.random.default_rng(data.seed).permutation(len(coded_rows)) % FOLDS
    scores = np.zeros((len(coded_rows), width))
    rules = np.zeros((len(coded_rows), width), dtype=bool)
    for fold in range(FOLDS):
        held = [index for index in range(len(coded_rows)) if fold_of[index] == fold]
        train = [coded_rows[index] for index in range(len(coded_rows)) if fold_of[index] != fold]
        visible = {row: coded[row] for row in train}
        trusted = trusted_rule_codes(rule_codes, matched, distrusted_rules(matched, visible))
        held_rows = [coded_rows[index] for index in held]
        models = _fit(data, trusted, visible, train, theme_ids, frozenset(held_rows))
        scores[held] = _predict(
            models, data.corpus[[data.position[row] for row in held_rows]], theme_ids
        )
        for index, row in zip(held, held_rows, strict=True):
            rules[index] = [theme in trusted.get(row, set()) for theme in theme_ids]
    truth = np.array(
        [[theme in set(coded[row]) for theme in theme_ids] for row in coded_rows], dtype=bool
    )
    return _Folds(scores, rules, truth, fold_of)


def _weak_labels(
    data: _Data,
    weak: list[int],
    train_rows: Sequence[int],
    rule_codes: Mapping[int, set[str]],
    coded: Codes,
) -> list[set[str]]:
    """Each weak row's label: the rules' guess, or the codes of a coded comment saying the same.

    Where the commissioner has coded a comment that says the same thing, their code is a better
    guess than the rules': otherwise dozens of "no rule fired" guesses outvote the few codes
    that teach a theme ("the case recording system crashes", taught as volume of work).
    """
    labels = [rule_codes.get(row, set()) for row in weak]
    if not weak or not train_rows:
        return labels
    coded_vectors = data.meaning[[data.position[row] for row in train_rows]]
    closeness = data.meaning[[data.position[row] for row in weak]] @ coded_vectors.T
    nearest, best = closeness.argmax(axis=1), closeness.max(axis=1)
    return [
        set(coded[train_rows[nearest[index]]]) if best[index] >= SAME_MEANING else label
        for index, label in enumerate(labels)
    ]


def _stack(*blocks: Matrix) -> Matrix:
    return vstack([block for block in blocks if block.shape[0]], format="csr")


def _predict(models: Models, matrix: Matrix, theme_ids: Sequence[str]) -> np.ndarray:
    columns = []
    for theme in theme_ids:
        model = models[theme]
        if isinstance(model, float):
            columns.append(np.full(matrix.shape[0], model))
        else:
            columns.append(model.predict_proba(matrix)[:, 1])
    return np.column_stack(columns) if columns else np.zeros((matrix.shape[0], 0))


def _ask(
    probabilities: np.ndarray,
    corpus: Matrix,
    rows: Sequence[int],
    coded: Codes,
    combined: Mapping[int, Sequence[str]],
    count: int,
) -> list[int]:
    """Uncertain, typical and varied comments first: what a code would teach the model most."""
    candidates = [index for index, row in enumerate(rows) if row not in coded]
    if not candidates:
        return []
    scores = probabilities[candidates]
    uncertainty = (
        (1 - np.abs(2 * scores - 1)).max(axis=1) if scores.shape[1] else np.ones(len(candidates))
    )
    # A comment nothing claims may hold a theme the codebook lacks: worth asking about.
    unclaimed = np.array([not combined[rows[index]] for index in candidates], dtype=float)
    block = corpus[candidates]
    centroid = np.asarray(block.mean(axis=0)).ravel()
    norms = np.sqrt(np.asarray(block.multiply(block).sum(axis=1)).ravel()) + 1e-9
    density = (block @ centroid) / norms / (np.linalg.norm(centroid) + 1e-9)
    score = (uncertainty + 0.5 * unclaimed) * np.sqrt(np.clip(density, 0, None) + 1e-3)
    order = np.lexsort((np.array([rows[i] for i in candidates]), -np.round(score, 9)))
    pool = order[: max(20 * count, 200)]
    normalised = block[pool].multiply(1 / norms[pool][:, None]).tocsr()
    chosen: list[int] = []
    closest = np.zeros(len(pool))
    for _ in range(min(count, len(pool))):
        # Diversity: a comment like one already chosen teaches little more.
        value = score[pool] - closest
        value[chosen] = -np.inf
        best = int(np.argmax(value))
        chosen.append(best)
        closest = np.maximum(closest, (normalised @ normalised[best].T).toarray().ravel())
    return [rows[candidates[pool[index]]] for index in chosen]


def _estimate(theme: str, hits: int, false_pos: int, misses: int, codes: int) -> Estimate:
    predicted, actual = hits + false_pos, hits + misses

    def interval(count: int, total: int) -> tuple[float, float] | None:
        if not total:
            return None
        low, high = wilson(count, total)
        return round(low, 3), round(high, 3)

    precision = round(hits / predicted, 3) if predicted else None
    recall = round(hits / actual, 3) if actual else None
    more = None
    if actual:
        # Wilson half-width ≈ 1.96·sqrt(p(1-p)/n): the base n that reaches ±15 points, in codes.
        worst = max(_variance(precision), _variance(recall))
        needed = int(np.ceil(1.96**2 * worst / TARGET_HALF_WIDTH**2))
        base = min(predicted or actual, actual)
        more = max(0, int(np.ceil((needed - base) * codes / actual)))
    return Estimate(
        theme, actual, precision, interval(hits, predicted), recall, interval(hits, actual), more
    )


def _variance(value: float | None) -> float:
    return 0.25 if value is None else max(value * (1 - value), 0.05)
