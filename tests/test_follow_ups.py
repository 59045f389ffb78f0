"""Suggested follow-ups: up to three questions the knowledge answers, in the asker's language."""

import shutil
from pathlib import Path

import pytest

from bot.knowledge.articles import KnowledgeError, load_knowledge
from tests.support import ScriptedModel

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


async def test_an_answer_offers_three_answerable_questions_about_what_it_did_not_say(make_briefer):
    briefer = make_briefer()
    reply = await briefer.answer("Quanto vale l'accordo?", conversation_id="c-follow")
    assert len(reply.follow_ups) == 3
    for question in reply.follow_ups:
        assert question.endswith("?")
        answer = await briefer.answer(question)
        assert not answer.refused and answer.language == "it", question
        assert "openai-aws/p3" not in [c.id for c in answer.citations]  # not what was just answered


async def test_follow_ups_follow_the_askers_language_and_skip_what_was_asked(make_briefer):
    briefer = make_briefer()
    first = await briefer.answer("Who funds Anthropic?", conversation_id="c-en")
    assert first.language == "en" and all(not _is_italian(q) for q in first.follow_ups)
    picked = first.follow_ups[0]
    second = await briefer.answer(picked, conversation_id="c-en")
    assert not second.refused and picked not in second.follow_ups
    assert "Who funds Anthropic?" not in second.follow_ups


async def test_a_refusal_offers_what_the_articles_do_answer(make_briefer):
    reply = await make_briefer().answer("Who is Sam Altman?")
    assert reply.refused and reply.follow_ups[0] == "How much is the OpenAI-AWS deal worth?"


async def test_a_briefing_offers_questions_on_its_points(make_briefer):
    reply = await make_briefer().brief(lang="en")
    cited = {c.id for c in reply.citations}
    assert len(reply.follow_ups) == 3
    assert reply.follow_ups[0] == "How much is the OpenAI-AWS deal worth?" and "openai-aws/p3" in cited


async def test_model_answers_get_follow_ups_too(sqlite_url):
    from bot.config import Settings
    from tests.support import real_briefer

    async with real_briefer(Settings(database_url=sqlite_url, engine="openai"), ScriptedModel()) as briefer:
        reply = await briefer.answer("How much is the deal worth?")
    assert reply.engine == "openai" and len(reply.follow_ups) == 3


@pytest.fixture
def planted_knowledge(tmp_path):
    """The shipped article plus questions the offline engine would refuse or answer elsewhere."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    text = (KNOWLEDGE / "openai-aws.yaml").read_text(encoding="utf-8")
    text = text.replace(
        '        - "Quanto vale l\'accordo tra OpenAI e AWS?"\n',
        '        - "Chi è Sam Altman?"\n        - "Cosa ha detto il CEO di AWS?"\n', 1
    )  # fmt: skip
    (folder / "openai-aws.yaml").write_text(text, encoding="utf-8")
    return folder


async def test_questions_the_bot_would_refuse_or_answer_elsewhere_are_never_offered(make_briefer, planted_knowledge):
    briefer = make_briefer(knowledge_dir=planted_knowledge)
    offered = set()
    asked = ("Chi finanzia Anthropic?", "Chi è il CEO di Google?", "Quanto dura il contratto?",
             "Che fine fa l'esclusiva con Azure?")  # fmt: skip
    for question in asked:
        offered |= set((await briefer.answer(question)).follow_ups)
    offered |= set((await briefer.brief(lang="it")).follow_ups)
    assert "Chi è Sam Altman?" not in offered
    # A p3 question that the engine answers from p8 is not p3's to offer; p8's own copy is.
    assert "Quanto dura il contratto?" in offered and "Cosa ha detto il CEO di AWS?" in offered
    p3_questions = load_knowledge(planted_knowledge).passage("openai-aws/p3").questions["it"]
    assert "Chi è Sam Altman?" in p3_questions  # the plant is really there


async def test_knowledge_without_questions_offers_none(make_briefer, tmp_path):
    folder = tmp_path / "bare"
    folder.mkdir()
    lines = (KNOWLEDGE / "openai-aws.yaml").read_text(encoding="utf-8").splitlines()
    kept, skipping = [], False
    for line in lines:
        if line.strip() == "questions:":
            skipping = True
            continue
        if skipping and (line.startswith("      ") or line.startswith("        ")):
            continue
        skipping = False
        kept.append(line)
    (folder / "openai-aws.yaml").write_text("\n".join(kept), encoding="utf-8")
    reply = await make_briefer(knowledge_dir=folder).answer("Quanto vale l'accordo?")
    assert not reply.refused and reply.follow_ups == ()


@pytest.mark.parametrize(
    ("questions", "error"),
    [
        ("questions: [a, b]", "questions must map it/en"),
        ("questions: {fr: [Pourquoi]}", "questions must map it/en"),
        ("questions: {it: Perché}", "questions under 'it' must be a list"),
    ],
)
def test_malformed_questions_name_the_file_and_passage(tmp_path, questions, error):
    shutil.copy(KNOWLEDGE / "openai-aws.yaml", tmp_path / "a.yaml")
    text = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    text = text.replace("  - id: p4\n", f"  - id: p4\n    {questions}\n", 1)
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=f"a.yaml: passage 'p4': {error}"):
        load_knowledge(tmp_path)


def _is_italian(question: str) -> bool:
    from bot.language.detection import detect_language

    return detect_language(question, default="en") == "it"
