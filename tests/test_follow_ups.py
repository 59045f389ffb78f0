"""Suggested follow-ups: up to three questions the knowledge answers, in the asker's language."""

from pathlib import Path

import pytest

from bot.knowledge.articles import load_knowledge
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


def questions_of(passage: str, language: str, folder=KNOWLEDGE) -> tuple[str, ...]:
    return load_knowledge(folder).passage(f"openai-aws/{passage}").questions[language]


async def test_a_refusal_offers_what_the_articles_do_answer(make_briefer):
    briefer = make_briefer()
    reply = await briefer.answer("Who is Sam Altman?")
    assert reply.refused and reply.follow_ups[0] in questions_of("p3", "en")  # the first key point's passage
    for question in reply.follow_ups:
        assert not (await briefer.answer(question)).refused


async def test_a_briefing_offers_questions_on_its_points(make_briefer):
    reply = await make_briefer().brief(lang="en")
    cited = {c.id for c in reply.citations}
    assert len(reply.follow_ups) == 3
    assert reply.follow_ups[0] in questions_of("p3", "en") and "openai-aws/p3" in cited


async def test_model_answers_get_follow_ups_too(sqlite_url):
    from bot.config import Settings
    from tests.support import real_briefer

    async with real_briefer(Settings(database_url=sqlite_url, engine="openai"), ScriptedModel()) as briefer:
        reply = await briefer.answer("How much is the deal worth?")
    assert reply.engine == "openai" and len(reply.follow_ups) == 3


@pytest.fixture
def planted_knowledge(tmp_path):
    """The shipped article with two wrong questions planted first under p3: one about someone the
    article never names, one that another passage (p8) answers."""
    import yaml

    data = yaml.safe_load((KNOWLEDGE / "openai-aws.yaml").read_text(encoding="utf-8"))
    p3 = next(p for p in data["passages"] if p["id"] == "p3")
    p3["questions"]["it"] = [PLANTED, ELSEWHERE, *p3["questions"]["it"]]
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "openai-aws.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return folder


PLANTED, ELSEWHERE = "Chi è Sam Altman?", "Cosa ha detto il CEO di AWS?"


async def test_wrong_questions_in_the_knowledge_are_never_offered(make_briefer, planted_knowledge):
    briefer = make_briefer(knowledge_dir=planted_knowledge)
    # The offline engine indexes passages' questions, so the planted one now gets an answer (from
    # p3): only the check against the passage's text keeps it from being suggested.
    assert not (await briefer.answer(PLANTED)).refused
    offered = set()
    for question in ("Chi finanzia Anthropic?", "Quanto dura il contratto?", "Che fine fa l'esclusiva con Azure?"):
        offered |= set((await briefer.answer(question)).follow_ups)
    briefing = await briefer.brief(lang="it")
    offered |= set(briefing.follow_ups)
    assert PLANTED not in offered and ELSEWHERE not in offered
    assert briefing.follow_ups[0] in questions_of("p3", "it", planted_knowledge)  # p3's sound questions still are


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


def _is_italian(question: str) -> bool:
    from bot.language.detection import detect_language

    return detect_language(question, default="en") == "it"
