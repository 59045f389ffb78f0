"""The knowledge base: the shipped article, new articles by dropping a file, bad files."""

import shutil
import textwrap
from pathlib import Path

import pytest

from bot.knowledge.articles import KnowledgeError, load_knowledge

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
SEED = Path(__file__).resolve().parent / "data" / "article-openai-aws.txt"


def test_shipped_article_metadata():
    article = load_knowledge(KNOWLEDGE).article("openai-aws")
    assert article.language == "it"
    assert article.published.isoformat() == "2025-11-04"
    assert article.title.startswith("OpenAI sceglie AWS")
    assert {"software", "hardware"} <= set(article.tags)
    assert article.source
    assert all(p.texts.get("en") for p in article.passages), "every passage has its English translation"
    assert 3 <= len(article.key_points) <= 6


def test_passages_reproduce_the_seed_text_verbatim():
    article = load_knowledge(KNOWLEDGE).article("openai-aws")
    seed_lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    # The seed's byline lines ("SOFTWAREHARDWARE", "11/4/20251 min read") are metadata, not text.
    seed_text = " ".join(line for line in seed_lines if line not in ("SOFTWAREHARDWARE", "11/4/20251 min read"))
    assert " ".join(p.original for p in article.passages) == " ".join(seed_text.split())


def test_passage_ids_are_stable_and_unique():
    knowledge = load_knowledge(KNOWLEDGE)
    ids = [p.id for p in knowledge.passages]
    assert len(ids) == len(set(ids))
    assert knowledge.passage("openai-aws/p3").original.startswith("OpenAI e Amazon Web Services")


SECOND_ARTICLE = """
id: chips-eu
title: "L'Europa apre tre nuove fabbriche di chip"
title_en: "Europe opens three new chip plants"
language: it
published: 2026-01-15
tags: [hardware]
source: test
passages:
  - id: p1
    it: "Il consorzio Silicio Europeo aprirà tre fabbriche di chip a Dresda entro il 2028."
    en: "The Silicio Europeo consortium will open three chip plants in Dresden by 2028."
"""


async def test_a_second_article_dropped_in_the_folder_is_known(tmp_path, make_briefer):
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    (folder / "chips-eu.yaml").write_text(SECOND_ARTICLE, encoding="utf-8")
    briefer = make_briefer(knowledge_dir=folder)

    reply = await briefer.answer("Chi aprirà le fabbriche di chip a Dresda?")

    assert not reply.refused
    assert [c.id for c in reply.citations] == ["chips-eu/p1"]
    assert "Dresda" in reply.text
    brief = await briefer.brief(lang="en")
    assert "Europe opens three new chip plants" in brief.text and "OpenAI picks AWS" in brief.text


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("id: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("title: x\nlanguage: it\npublished: 2025-01-01\npassages: [{id: p1, it: ciao}]", "id is required"),
        ("id: x\ntitle: x\nlanguage: fr\npublished: 2025-01-01\npassages: [{id: p1, it: a}]", "language must be"),
        ("id: x\ntitle: x\nlanguage: it\npublished: someday\npassages: [{id: p1, it: a}]", "published must be"),
        ("id: x\ntitle: x\nlanguage: it\npublished: 2025-01-01\npassages: []", "passages must be"),
        ("id: x\ntitle: x\nlanguage: it\npublished: 2025-01-01\npassages: [{id: p1, it: a}, {id: p1, it: b}]",
         "appears twice"),
        ("id: x\ntitle: x\nlanguage: it\npublished: 2025-01-01\npassages: [{id: p1, en: only english}]",
         "no original text"),
        ("id: x\ntitle: x\nlanguage: it\npublished: 2025-01-01\npassages: [{id: p1, it: a}]\n"
         "key_points: [{cite: [p9], it: b}]", "unknown passage 'p9'"),
        ("id: x\ntitle: x\nlanguage: it\npublished: 2025-01-01\npassages: [{id: p1, it: a, questions: [q]}]",
         "questions must map it/en"),
        ("id: x\ntitle: x\nlanguage: it\npublished: 2025-01-01\npassages: [{id: p1, it: a, questions: {en: ok}}]",
         "questions.en must be a list"),
    ],
)
def test_a_malformed_file_is_named_with_what_is_wrong(tmp_path, content, problem):
    (tmp_path / "broken.yaml").write_text(textwrap.dedent(content), encoding="utf-8")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(tmp_path)
    message = str(raised.value)
    assert message.startswith("broken.yaml: ") and problem in message
    assert "\n" not in message


def test_two_files_with_the_same_article_id_are_refused(tmp_path):
    shutil.copy(KNOWLEDGE / "openai-aws.yaml", tmp_path / "a.yaml")
    shutil.copy(KNOWLEDGE / "openai-aws.yaml", tmp_path / "b.yaml")
    with pytest.raises(KnowledgeError, match=r"already used by a\.yaml"):
        load_knowledge(tmp_path)


def test_missing_or_empty_folder(tmp_path):
    with pytest.raises(KnowledgeError, match="not found"):
        load_knowledge(tmp_path / "nope")
    with pytest.raises(KnowledgeError, match=r"no article \(\*\.yaml\)"):
        load_knowledge(tmp_path)
