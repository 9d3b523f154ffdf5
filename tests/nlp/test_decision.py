"""The trained decision step: a spaCy textcat over candidate features, and its calibration."""

from __future__ import annotations

import pytest

from articles.nlp.decision import CLASSES, Calibration, DecisionModel, TrainSettings

EXAMPLES = (
    [(["subj_report_verb", "cue=dialogue", "cue=support"], "support")] * 12
    + [(["subj_report_verb", "cue=dialogue", "cue=oppose"], "oppose")] * 12
    + [(["prep=with", "cue=dialogue"], "none")] * 12
)


@pytest.fixture(scope="module")
def model():
    return DecisionModel.train(EXAMPLES, TrainSettings(epochs=40, seed=3))


def test_the_model_learns_which_features_mean_which_label(model):
    support, oppose, none = model.predict(
        [
            ["subj_report_verb", "cue=dialogue", "cue=support"],
            ["subj_report_verb", "cue=dialogue", "cue=oppose"],
            ["prep=with", "cue=dialogue"],
        ]
    )
    assert max(support, key=support.get) == "support"
    assert max(oppose, key=oppose.get) == "oppose"
    assert max(none, key=none.get) == "none"
    assert set(support) == set(CLASSES)
    assert sum(support.values()) == pytest.approx(1.0, abs=1e-4)


def test_a_stored_model_predicts_the_same_after_loading(model, tmp_path):
    model.meta = {"version": "model-test"}
    model.calibration = Calibration(a=0.8, b=-0.2)
    model.to_disk(tmp_path / "m")
    again = DecisionModel.from_disk(tmp_path / "m")
    feats = [["subj_report_verb", "cue=oppose"]]
    assert again.predict(feats)[0] == pytest.approx(model.predict(feats)[0])
    assert again.meta["version"] == "model-test"
    assert again.calibration(0.7) == pytest.approx(model.calibration(0.7))


def test_an_empty_feature_list_is_scored_too(model):
    [probs] = model.predict([[]])
    assert sum(probs.values()) == pytest.approx(1.0, abs=1e-4)


def test_calibration_lowers_scores_that_are_too_sure():
    # raw scores of 0.9 that are right only half the time
    scores = [0.9] * 40 + [0.2] * 40
    outcomes = [True, False] * 20 + [False] * 40
    calibration = Calibration.fit(scores, outcomes)
    assert calibration(0.9) < 0.7
    assert calibration(0.2) < calibration(0.9)


def test_calibration_without_enough_data_is_the_identity():
    assert Calibration.fit([0.3, 0.8], [True, False])(0.42) == pytest.approx(0.42)


def test_isotonic_calibration_follows_the_share_right_and_never_goes_down():
    # low scores right a fifth of the time, high scores four fifths
    scores = [0.1] * 20 + [0.3] * 20 + [0.9] * 20
    outcomes = [i % 5 == 0 for i in range(20)] * 2 + [i % 5 != 0 for i in range(20)]
    calibration = Calibration.fit(scores, outcomes, method="isotonic")
    assert calibration(0.1) == pytest.approx(0.2)
    assert calibration(0.9) == pytest.approx(0.8)
    values = [calibration(x / 20) for x in range(21)]
    assert values == sorted(values)
    assert min(values) > 0.0 and max(values) < 1.0


def test_an_isotonic_calibration_survives_storing(model, tmp_path):
    model.calibration = Calibration(points=((0.2, 0.1), (0.8, 0.7)))
    model.meta = {"version": "model-iso"}
    model.to_disk(tmp_path / "m")
    again = DecisionModel.from_disk(tmp_path / "m")
    assert again.calibration(0.5) == pytest.approx(0.4)


def test_scoring_without_docs_gives_what_the_textcat_gives_on_docs(model):
    from articles.nlp.decision import _doc, _scores

    feature_lists = [
        ["subj_report_verb", "cue=dialogue", "cue=support", "cue=support"],
        ["cue=oppose", "never-seen-in-training"],
        ["never-seen-in-training"],
        [],
    ]
    textcat = model.nlp.get_pipe("textcat")
    strings = model.nlp.vocab.strings
    docs = [_doc(model.nlp, [f for f in feats if f in strings]) for feats in feature_lists]
    expected = textcat.model.predict(docs).tolist()
    got = _scores(model.nlp, feature_lists)
    for row, want in zip(got, expected, strict=True):
        assert [row[label] for label in textcat.labels] == pytest.approx(want, abs=1e-6)
    assert "never-seen-in-training" not in strings  # scoring leaves the vocabulary alone
