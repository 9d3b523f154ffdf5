"""The extractor learns from editors: decisions become training data, versions roll back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from actors.models import Stance
from actors.review.services import stance_approve, stance_reject, stance_relabel
from articles.models import ExtractorModel
from articles.nlp.extractor import DEFAULT_MODEL_PATH
from articles.nlp.train import EXAMPLES_FILE
from articles.selectors import reviewed_articles_for_training
from articles.services import (
    _extractor_cache,
    article_create,
    extractor_get,
    extractor_model_activate,
    stances_rescore,
)
from tests.conftest import ARTICLE_TEXT


@pytest.fixture(autouse=True)
def models_under_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _extractor_cache.clear()
    yield
    _extractor_cache.clear()


def _decided(article_with_proposals, editor):
    article, stances = article_with_proposals
    tusk, sanchez = sorted(stances, key=lambda s: s.actor.name)
    stance_relabel(stance=tusk, editor=editor, label=Stance.Label.CONDITIONAL)
    stance_approve(stance=tusk, editor=editor)
    stance_reject(stance=sanchez, editor=editor)
    return article


def test_an_article_joins_the_training_data_once_every_proposal_is_decided(
    article_with_proposals, editor
):
    article, stances = article_with_proposals
    stance_approve(stance=stances[0], editor=editor)
    assert reviewed_articles_for_training() == []  # one proposal is still open
    stance_reject(stance=stances[1], editor=editor)
    [annotated] = reviewed_articles_for_training()
    assert annotated.text == article.body
    assert [(g.actor, g.label) for g in annotated.gold] == [
        (stances[0].actor.name, stances[0].label)
    ]


@pytest.mark.django_db
def test_train_extractor_learns_the_editors_labels(article_with_proposals, editor, capsys):
    _decided(article_with_proposals, editor)
    call_command("train_extractor")
    model = ExtractorModel.objects.get()
    assert model.status == ExtractorModel.Status.READY
    assert model.version.startswith("model-")
    assert {"set": "editor decisions", "articles": 1} in model.meta["sources"]

    def conditional(folder: Path) -> int:
        with open(folder / EXAMPLES_FILE, encoding="utf-8") as handle:
            return sum(json.loads(line)["label"] == "conditional" for line in handle)

    # the relabelled stance is one more example with the editor's label, and one more
    # where Tusk is a name the actor list does not know
    assert conditional(Path(model.path)) == conditional(DEFAULT_MODEL_PATH) + 2
    assert not model.is_current
    assert "Trained model-" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_new_model_is_used_once_current_and_rollback_returns_to_the_shipped_one(
    article_with_proposals, editor
):
    shipped = extractor_get().version
    _decided(article_with_proposals, editor)
    call_command("train_extractor", "--activate")
    model = ExtractorModel.objects.get(is_current=True)
    assert extractor_get().version == model.version != shipped
    extractor_model_activate(model=None)
    assert extractor_get().version == shipped


@pytest.mark.django_db
def test_a_model_still_training_cannot_be_made_current():
    model = ExtractorModel.objects.create()
    with pytest.raises(ValueError):
        extractor_model_activate(model=model)
    assert not ExtractorModel.objects.filter(is_current=True).exists()


@pytest.mark.django_db
def test_rescoring_updates_open_proposals_and_never_touches_reviewed_ones(editor):
    article, _ = article_create(raw=ARTICLE_TEXT, name="spain-poland.txt")
    from articles.services import article_extract

    proposed = article_extract(article=article)
    assert proposed, "the shipped model proposes something on this article"
    reviewed = proposed[0]
    stance_reject(stance=reviewed, editor=editor)
    for stance in proposed[1:]:
        Stance.objects.filter(pk=stance.pk).update(confidence=0.01, extractor_version="old")
    counts = stances_rescore()
    reviewed.refresh_from_db()
    assert reviewed.status == Stance.Status.REJECTED and reviewed.version == 2
    for stance in proposed[1:]:
        stance.refresh_from_db()
        assert stance.extractor_version == extractor_get().version
        assert stance.confidence > 0.01
    assert counts["updated"] == len(proposed) - 1
    assert not Stance.objects.filter(
        article=article,
        status=Stance.Status.PROPOSED,
        actor=reviewed.actor,
        quote_start=reviewed.quote_start,
    ).exists(), "a rejected proposal is not proposed again"


def test_models_page_is_for_admins(client, analyst, editor, admin_user_role):
    url = reverse("articles:models")
    for user, status in ((analyst, 403), (editor, 403), (admin_user_role, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status
    response = client.get(url)
    assert "(shipped)" in response.content.decode()
    assert "Train a new model now" in response.content.decode()


def test_an_admin_queues_training_and_rolls_back_from_the_page(client, admin_user_role, editor):
    client.force_login(editor)
    assert client.post(reverse("articles:model-train")).status_code == 403
    client.force_login(admin_user_role)
    response = client.post(reverse("articles:model-train"), follow=True)
    assert "Training queued" in response.content.decode()
    queued = ExtractorModel.objects.get()
    assert queued.status == ExtractorModel.Status.TRAINING
    assert queued.created_by == admin_user_role
    ready = ExtractorModel.objects.create(version="model-x", status="ready", path="/nowhere")
    client.post(reverse("articles:model-activate", args=[ready.pk]))
    assert ExtractorModel.objects.get(is_current=True) == ready
    client.post(reverse("articles:model-activate-shipped"))
    assert not ExtractorModel.objects.filter(is_current=True).exists()


@pytest.mark.django_db
def test_train_extractor_evaluate_prints_cross_validated_figures_and_stores_nothing(
    tmp_path, capsys
):
    folder = tmp_path / "set"
    folder.mkdir()
    stated = {
        "a.txt": ("Giorgia Meloni", "support", "Europe must resume talks with Russia"),
        "b.txt": ("Donald Tusk", "oppose", "rejected any talks with Moscow"),
        "c.txt": ("Pedro Sánchez", "support", "Europe should open talks with Russia"),
        "d.txt": (
            "Emmanuel Macron",
            "conditional",
            "talk to Russia only if Ukraine is at the table",
        ),
    }
    with open(tmp_path / "gold.jsonl", "w", encoding="utf-8") as gold:
        for name, (actor, label, quote) in stated.items():
            (folder / name).write_text(f"{actor} said on Monday: {quote}.\n", encoding="utf-8")
            gold.write(json.dumps({"file": name, "actor": actor, "label": label, "quote": quote}))
            gold.write("\n")

    call_command(
        "train_extractor",
        "--evaluate",
        "--gold",
        str(tmp_path / "gold.jsonl"),
        "--files",
        str(folder),
        "--folds",
        "2",
    )

    report = json.loads(capsys.readouterr().out)
    assert report["cross_validated"]["gold"] == 4
    # the same fold models, on the articles read with their people off the actor list
    assert report["unknown_people"]["gold"] == 4
    assert not ExtractorModel.objects.exists()
