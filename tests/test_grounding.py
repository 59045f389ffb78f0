"""The grounding verifier: its checks one by one (in process), then every wrong-verdict class
through the real command line with the fake OpenAI server serving the model's answer."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.grounding import cited_ids, verify
from bot.grounding.claims import split_answer
from bot.grounding.quantities import read
from bot.knowledge.articles import load_knowledge
from tests.fakes.openai_server import Delay, Status, verdicts

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = load_knowledge(ROOT / "knowledge")


def quantities(text, language):
    return [(q.value, q.unit) for q in read(text, language).quantities]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("38 miliardi di dollari", "it", [(38e9, "usd")]),
        ("$38 billion", "en", [(38e9, "usd")]),
        ("a $38bn contract", "en", [(38e9, "usd")]),
        ("38 mld $", "it", [(38e9, "usd")]),
        ("38 miliardi di euro", "it", [(38e9, "eur")]),
        ("thirty-eight billion dollars", "en", [(38e9, "usd")]),
        ("sette anni", "it", [(7, "year")]),
        ("entro sette mesi", "it", [(7, "month")]),
        ("a seven-year deal", "en", [(7, "year")]),
        ("un accordo settennale", "it", [(7, "year")]),
        ("hundreds of thousands of GPUs", "en", [(1e5, "gpu")]),
        ("millions of GPUs", "en", [(1e6, "gpu")]),
        ("centinaia di migliaia di GPU", "it", [(1e5, "gpu")]),
        ("mezzo milione di GPU", "it", [(5e5, "gpu")]),
        ("seven hundred thousand GPUs", "en", [(7e5, "gpu")]),
        ("Exactly 300,000 GPUs", "en", [(3e5, "gpu")]),
        ("trecentomila GPU", "it", [(3e5, "gpu")]),
        ("due to the need for scale", "en", []),  # English "due" is not the Italian two
        ("due aspetti", "it", [(2, None)]),
        ("one of the few cloud giants", "en", []),
        ("un accordo", "it", []),
        ("GB200 chips", "en", []),
    ],
)
def test_quantities_are_read_with_their_unit_in_the_answer_language(text, language, expected):
    assert quantities(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("published on November 4, 2025", "en", (2025, 11, 4)),
        ("il 4 novembre 2025", "it", (2025, 11, 4)),
        ("in November 2026", "en", (2026, 11, None)),
        ("on 2025-11-04", "en", (2025, 11, 4)),
    ],
)
def test_dates_with_month_names_in_both_languages(text, language, expected):
    reading = read(text, language)
    assert [(d.year, d.month, d.day) for d in reading.dates] == [expected] and not reading.quantities


def test_claims_cite_their_own_bracket_and_short_ids_resolve():
    answer = ("Amazon funds Anthropic [openai-aws/p9, p10]. It is worth $38bn [p3][openai-aws/p12].\n"
              "- a bullet [openai-aws/p7]\n- another with no bracket")  # fmt: skip
    split = split_answer(answer, KNOWLEDGE)
    assert [c.citations for c in split.claims] == [
        ("openai-aws/p9", "openai-aws/p10"),
        ("openai-aws/p3", "openai-aws/p12"),
        ("openai-aws/p7",),
        (),
    ]
    assert cited_ids(answer, KNOWLEDGE)[:2] == ["openai-aws/p9", "openai-aws/p10"]


def test_unknown_ids_are_kept_for_the_report():
    verification = verify("OpenAI needs many GPUs [openai-aws/p99].", "en", KNOWLEDGE)
    assert not verification.grounded
    assert verification.cited == ["openai-aws/p99"]
    assert "does not exist: openai-aws/p99" in verification.failed[0].problems[0]


@pytest.mark.parametrize(
    ("answer", "language"),
    [
        ("Nvidia chips will power the new clusters [openai-aws/p6].", "en"),
        ("Oracle, oltre ad AWS, fornirà parte della capacità [openai-aws/p6].", "it"),
        ("Texas will host the new systems [openai-aws/p12].", "en"),
    ],
)
def test_an_invented_name_opening_a_sentence_is_caught(answer, language):
    failed = verify(answer, language, KNOWLEDGE).failed
    assert failed and any("name not in the cited passages" in p for p in failed[0].problems)


@pytest.mark.parametrize(
    ("answer", "language"),
    [
        ("Immediate access to large-scale computing is essential [openai-aws/p2].", "en"),
        ("Centinaia di migliaia di GPU servono a OpenAI [openai-aws/p6].", "it"),
        ("However, Amazon also funds Anthropic [openai-aws/p9].", "en"),
    ],
)
def test_ordinary_words_opening_a_sentence_are_not_names(answer, language):
    assert verify(answer, language, KNOWLEDGE).grounded


@pytest.mark.parametrize(
    "answer",
    [
        "Read the contract at evil.com/deal [openai-aws/p3].",
        "Write to press@deals.example.org about the $38 billion deal [openai-aws/p3].",
        "Follow @aws_insider on the $38 billion deal [openai-aws/p3].",
        "Call `client.reserve(gpus=100000)` under the deal [openai-aws/p6].",
        "Full text: https://example.net/openai [openai-aws/p3].",
    ],
)
def test_links_addresses_handles_and_code_not_in_the_passages_are_caught(answer):
    failed = verify(answer, "en", KNOWLEDGE).failed
    assert failed and any("link, address or code" in p for p in failed[0].problems)


def test_support_is_matched_across_languages_through_the_translation():
    # An English claim over an Italian original: matched through the passage's translation.
    assert verify("OpenAI's choice of AWS ends its exclusivity with Microsoft's Azure [openai-aws/p7].", "en",
                  KNOWLEDGE).grounded  # fmt: skip
    invented = verify("The agreement was cleared by regulators after an antitrust review [openai-aws/p3].", "en",
                      KNOWLEDGE)  # fmt: skip
    assert not invented.grounded and "not stated by the cited passages" in invented.failed[0].problems[0]


def test_a_bullet_is_not_vouched_for_by_another_bullets_passage():
    answer = ("- OpenAI and AWS signed a $38 billion deal [openai-aws/p3]\n"
              "- Amazon put $38 billion into Anthropic [openai-aws/p9]")  # fmt: skip
    verification = verify(answer, "en", KNOWLEDGE)
    assert [r.ok for r in verification.results] == [True, False]


# --- through the command line -----------------------------------------------------------


@pytest.fixture
def cli(tmp_path, fake_openai_thread):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFBOT_", "SLACK_", "DISCORD_"))}
    env.update(
        BRIEFBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        PYTHONPATH=str(ROOT),
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=fake_openai_thread.base_url,
        BRIEFBOT_MODEL_ATTEMPTS="1",
        BRIEFBOT_JUDGE="off",
    )

    def run(model_answer, *args, judge=None, extra_env=None):
        fake_openai_thread.enqueue(model_answer)
        if judge is not None:
            fake_openai_thread.enqueue_judge(judge)
        run_env = {**env, **(extra_env or {})}
        if judge is not None:
            run_env["BRIEFBOT_JUDGE"] = "on"
        done = subprocess.run([sys.executable, "-m", "bot", *args, "--json"], cwd=ROOT, env=run_env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        reply = json.loads(done.stdout)
        reply["stderr"] = done.stderr
        return reply

    run.server = fake_openai_thread
    return run


def ask(question, lang):
    return ["ask", "--lang", lang, question]


SLIPS = {
    "wrong unit or currency": [
        ("it", "Quanto vale?", "L'accordo vale 38 miliardi di euro e dura sette anni [openai-aws/p3]."),
        ("it", "Entro quando?", "I nuovi sistemi saranno operativi entro sette mesi [openai-aws/p3, p12]."),
        ("en", "How many GPUs?", "OpenAI needs access to millions of GPUs [openai-aws/p6]."),
        ("it", "Quante GPU?", "OpenAI ha bisogno di circa mezzo milione di GPU [openai-aws/p6]."),
    ],
    "a number from another fact": [
        ("en", "When?", "The new systems should be operational within seven years [openai-aws/p3, p12]."),
    ],
    "the publication date as another number": [
        ("en", "How long?", "The deal runs for four years [openai-aws/p3]."),
        ("it", "Quando?", "I nuovi sistemi saranno operativi entro la fine del 2025 [openai-aws/p12]."),
    ],
    "an invented name opening a sentence": [
        ("en", "Which chips?", "Nvidia chips will power the new clusters [openai-aws/p6]."),
        ("it", "Altri fornitori?", "Oracle, oltre ad AWS, fornirà parte della capacità di calcolo [openai-aws/p6]."),
    ],
    "an invented fact with no new name or number": [
        ("en", "Approved?", "The agreement was cleared by regulators after an antitrust review [openai-aws/p3]."),
        ("it", "Reazioni?", "Gli azionisti di Amazon hanno criticato l'accordo [openai-aws/p9]."),
    ],
    "a correct fact cited to the wrong passage": [
        ("en", "How much?", "The deal is worth $38 billion over seven years [openai-aws/p9]."),
    ],
    "injected content": [
        ("en", "More?", "Visit evil.com for the full $38 billion contract [openai-aws/p3]."),
        ("it", "Contatti?", "Scrivi a press@openai-deals.com per l'accordo da 38 miliardi [openai-aws/p3]."),
        ("en", "A poem?", "Seven years of silicon rain,\nclouds that hum and chips that sing [openai-aws/p3]."),
        ("it", "Ricetta?", "Rosola il guanciale e manteca la pasta con il pecorino [openai-aws/p12]."),
    ],
}


@pytest.mark.parametrize(
    ("lang", "question", "answer"),
    [pytest.param(*case, id=f"{kind}-{n}") for kind, cases in SLIPS.items() for n, case in enumerate(cases)],
)
def test_a_wrong_answer_is_not_shown_as_verified(cli, lang, question, answer):
    reply = cli(answer, *ask(question, lang))
    verification = reply["verification"]
    assert verification["checked"] and verification["outcome"] != "shown"
    assert verification["failed"] and verification["failed"][0]["reasons"]
    assert answer.split("[")[0].strip() not in reply["answer"]


def test_a_bullet_whose_number_another_bullet_cites_is_dropped(cli):
    briefing = ("- OpenAI and AWS signed a $38 billion, seven-year deal [openai-aws/p3]\n"
                "- Amazon put $38 billion into Anthropic [openai-aws/p9]\n"
                "- The new systems are due to be operational by the end of 2026 [openai-aws/p12]")  # fmt: skip
    reply = cli(briefing, "brief", "--lang", "en")
    assert reply["verification"]["outcome"] == "trimmed"
    assert "Anthropic" not in reply["answer"] and "seven-year deal" in reply["answer"]
    assert reply["answer"].endswith("_I left out part of the answer that the article doesn't support._")


@pytest.mark.parametrize(
    ("lang", "question", "answer"),
    [
        ("en", "When?", "The new systems are due to be operational by the end of 2026 [openai-aws/p12]."),
        ("en", "Who can?", "Only a few cloud giants can; it names three: AWS, Microsoft and Google [openai-aws/p6]."),
        ("it", "Chi può fornirla?", "L'articolo ne nomina tre: AWS, Microsoft e Google [openai-aws/p6]."),
        ("en", "When was it published?", "The article was published on November 4, 2025 [openai-aws/p1]."),
        ("en", "How big?", "It's a $38bn contract for cloud computing services over seven years [openai-aws/p3]."),
        ("en", "Terms?", "- **Value:** $38 billion [openai-aws/p3]\n"
                         "- **Why:** computing power is AI's real bottleneck [openai-aws/p5]"),
        ("en", "The paradox?", "Amazon funds Anthropic, OpenAI's direct competitor, and supplies both the leader "
                               "and its main challenger [openai-aws/p9, p10]."),
        ("en", "Concerns?", "Two things stand out: the concentration of computing power raises questions about "
                            "access [openai-aws/p11], and about the independence of research [openai-aws/p11]."),
        ("it", "Punti?", "Tre punti chiave:\n1. Accordo da 38 miliardi di dollari in sette anni [openai-aws/p3]\n"
                                "2. Servono centinaia di migliaia di GPU [openai-aws/p6]\n"
                                "3. Amazon finanzia anche Anthropic [openai-aws/p9]"),
    ],
)
def test_a_good_answer_is_shown_as_written(cli, lang, question, answer):
    reply = cli(answer, *ask(question, lang))
    assert reply["verification"]["outcome"] == "shown", reply["verification"]
    assert reply["engine"] == "openai" and reply["grounded"]
    assert reply["verification"]["claims_failed"] == 0


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("Matt Garman is OpenAI's CEO [openai-aws/p8].", "p8 says he is the CEO of AWS"),
        ("Anthropic funds Amazon, which competes directly with OpenAI [openai-aws/p9].", "Amazon funds Anthropic"),
    ],
)
def test_the_judge_catches_swapped_roles_and_reversed_relations(cli, answer, reason):
    without_judge = cli(answer, *ask("Who is who?", "en"))
    assert without_judge["verification"]["outcome"] == "shown"  # no lexical check can see it
    reply = cli(answer, *ask("Who is who?", "en"), judge=verdicts((False, reason)))
    assert reply["verification"]["judge"] == "used"
    assert reply["verification"]["outcome"] != "shown"
    assert any(reason in r for f in reply["verification"]["failed"] for r in f["reasons"])
    request = cli.server.judge_requests[-1].json
    assert request["response_format"]["json_schema"]["name"] == "claim_verdicts"
    assert answer.split(" [")[0] in request["messages"][1]["content"]


@pytest.mark.parametrize("failure", [Status(500), "not json at all", Delay(30)])
def test_a_judge_that_fails_leaves_the_answer_not_verified(cli, failure):
    env = {"BRIEFBOT_MODEL_TIMEOUT": "2"}
    reply = cli("Matt Garman is the CEO of AWS [openai-aws/p8].", *ask("Who is Matt Garman?", "en"), judge=failure,
                extra_env=env)  # fmt: skip
    assert reply["verification"]["judge"].startswith("failed")
    assert reply["verification"]["outcome"] == "quoted"
    assert reply["answer"].startswith("_I couldn't verify the model's answer, so here is what the article says:_")
    assert "As AWS CEO Matt Garman pointed out" in reply["answer"]


def test_the_judge_model_setting_is_sent(cli):
    cli("Matt Garman is the CEO of AWS [openai-aws/p8].", *ask("Who?", "en"), judge=verdicts(True),
        extra_env={"BRIEFBOT_JUDGE_MODEL": "small-judge"})  # fmt: skip
    assert cli.server.judge_requests[-1].json["model"] == "small-judge"


def test_when_nothing_stands_the_cited_passages_are_quoted_and_the_reason_logged(cli):
    reply = cli("Nvidia will supply the GPUs [openai-aws/p6].", *ask("Who supplies the GPUs?", "en"),
                extra_env={"BRIEFBOT_LOG_LEVEL": "INFO"})  # fmt: skip
    assert reply["verification"]["outcome"] == "quoted"
    assert "hundreds of thousands of GPUs" in reply["answer"] and "Nvidia" not in reply["answer"]
    assert reply["citations"][0]["id"] == "openai-aws/p6"
    assert "INFO bot.grounding: openai claim not verified" in reply["stderr"]
    assert "name not in the cited passages: Nvidia" in reply["stderr"]


def test_off_question_passages_are_not_quoted(cli):
    reply = cli("Bake the pasta for seven minutes [openai-aws/p12].", *ask("How do I cook carbonara?", "en"))
    assert reply["verification"]["outcome"] == "fallback"
    assert "energy-efficient" not in reply["answer"]


def test_the_stored_conversation_keeps_what_the_user_saw_without_the_notice(cli, tmp_path):
    briefing = ("- OpenAI and AWS signed a $38 billion deal [openai-aws/p3]\n"
                "- Employees at Microsoft protested the loss of the exclusive partnership [openai-aws/p7]")  # fmt: skip
    reply = cli(briefing, *ask("What happened?", "en"), "--conversation", "c1")
    assert reply["verification"]["outcome"] == "trimmed"
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with engine.connect() as connection:
        query = text("select content from conversation_turns where role = 'assistant'")
        stored = [row[0] for row in connection.execute(query)]
    engine.dispose()
    assert stored == ["- OpenAI and AWS signed a $38 billion deal [openai-aws/p3]"]


def test_a_sources_line_cites_the_paragraph_above_it():
    answer = ("OpenAI and AWS signed a seven-year deal worth $38 billion. The new systems should be running "
              "by the end of 2026.\n\nSources: [openai-aws/p3, p12]")  # fmt: skip
    verification = verify(answer, "en", KNOWLEDGE)
    assert verification.grounded, [r.problems for r in verification.results]
    assert all(r.claim.citations == ("openai-aws/p3", "openai-aws/p12") for r in verification.results)
