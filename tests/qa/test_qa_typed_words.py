"""Typed questions whose values are written in words, and the person a typed sentence is about."""

from __future__ import annotations

import pytest
from qadocs import block, document

from docrecon.model import BlockType
from docrecon.qa.answer import NO_ANSWER_EN, extractive_answer, search
from docrecon.qa.index import QaIndex
from docrecon.qa.question import AnswerType, classify, has_type


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("He worked at the bureau for nine years.", AnswerType.DURATION, True),
        ("The check takes about a quarter of an hour.", AnswerType.DURATION, True),
        ("Allow half an hour for the visit.", AnswerType.DURATION, True),
        ("The course runs for twenty-five minutes.", AnswerType.DURATION, True),
        ("Samples were kept overnight.", AnswerType.DURATION, True),
        ("She joined the firm 30 years ago.", AnswerType.DURATION, False),  # a point in time
        ("She joined the firm 30 years ago.", AnswerType.DATE, True),
        ("She joined the firm nine years ago.", AnswerType.DATE, True),
        ("Rival products emerged in the early 2000s.", AnswerType.DATE, True),
        ("The method dates from the 19th century.", AnswerType.DATE, True),
        ("The club has three hundred members.", AnswerType.NUMBER, True),
        ("He was one of the founders.", AnswerType.NUMBER, False),  # "one" is too common to count
        ("An office of the firm.", AnswerType.DURATION, False),
    ],
)
def test_values_in_words(text: str, kind: AnswerType, expected: bool) -> None:
    assert has_type(text, kind) is expected


def test_duration_questions_drop_the_asking_words() -> None:
    assert classify("How long did Ana Ruiz work in the archive?").terms == ("ana", "ruiz", "work", "archive")
    q = classify("How many years did Ana Ruiz work in the archive?")
    assert q.type is AnswerType.DURATION and "years" not in q.terms and q.focus == ""
    assert classify("How long does it take to complete the form?").terms == ("complete", "form")
    assert classify("How long ago did the archive open?").type is AnswerType.DATE
    assert classify("How old were the mice?").type is AnswerType.NUMBER
    assert classify("How long did Ana Ruiz work there?").persons == (("ana", "ruiz"),)
    assert classify("Which Office tools were used?").persons == ()


def _bios() -> QaIndex:
    pages = [[
        block(1, 0, BlockType.TITLE, "The authors"),
        block(1, 1, BlockType.PARAGRAPH,
              "Tom Berg is a senior consultant in the Lab Services organization. Tom began his career with the "
              "company 30 years ago in the development lab, where he built network products."),
        block(1, 2, BlockType.PARAGRAPH,
              "Ana Ruiz is a specialist at the Lab Services team in Madrid. She teaches classes worldwide. "
              "Before joining Lab Services, she worked in the archive for nine years writing manuals."),
    ]]
    ix = QaIndex()
    ix.add("b", document(pages, "authors.pdf"), "authors.pdf")
    return ix


def test_a_duration_in_words_answers_after_a_pronoun() -> None:
    ix = _bios()
    q = "How long did Ana Ruiz work in the archive?"
    answer = extractive_answer(q, search(ix, q, ["b"]))
    assert "for nine years" in answer.text and answer.citations[0].block_id == "p1/b2"


def test_no_answer_from_another_persons_sentence() -> None:
    ix = _bios()
    # Tom's sentence gives a point in time ("30 years ago"), Ana's duration is about Ana
    q = "How many years did Tom Berg work in the archive?"
    assert extractive_answer(q, search(ix, q, ["b"])).text == NO_ANSWER_EN


def _history() -> QaIndex:
    pages = [[
        block(1, 0, BlockType.TITLE, "About the museum"),
        block(1, 1, BlockType.PARAGRAPH, "The city museum was renovated in 1998 and again in 2015."),
        block(1, 2, BlockType.PARAGRAPH, "The city museum was established in 1921 by a group of local merchants."),
    ], [
        block(2, 0, BlockType.HEADING, "Visiting", level=2),
        block(2, 1, BlockType.PARAGRAPH, "The price of a guided tour is twelve dollars, and the tour lasts about "
              "a quarter of an hour."),
        block(2, 2, BlockType.PARAGRAPH, "Evening lectures begin at 7 pm in the east hall."),
    ]]
    ix = QaIndex()
    ix.add("m", document(pages, "museum.pdf"), "museum.pdf")
    return ix


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When was the city museum founded?", "established in 1921"),  # founded / established
        ("How much does a guided tour cost?", "twelve dollars"),  # cost / price, an amount in words
        ("How long does the guided tour take?", "a quarter of an hour"),  # a duration in words
        ("When do the evening lectures start?", "7 pm"),  # start / begin
    ],
)
def test_question_verbs_meet_the_documents_words(question: str, expected: str) -> None:
    ix = _history()
    answer = extractive_answer(question, search(ix, question, ["m"]))
    assert expected in answer.text and answer.citations


def test_no_answer_for_what_the_museum_does_not_say() -> None:
    ix = _history()
    for q in ("When was the east hall built?", "How much does a yearly membership cost?"):
        assert extractive_answer(q, search(ix, q, ["m"])).text == NO_ANSWER_EN


def _letter() -> QaIndex:
    pages = [[
        block(1, 0, BlockType.PARAGRAPH, "Harbor Supply Company"),
        block(1, 1, BlockType.PARAGRAPH, "12 Mill Street"),
        block(1, 2, BlockType.PARAGRAPH, "Riverton, NJ 08077"),
        block(1, 3, BlockType.PARAGRAPH, "Our Riverton office opens at 9 am and closes at 5 pm on weekdays."),
        block(1, 4, BlockType.PARAGRAPH, "Orders shipped to Camden arrive within 3 days."),
    ]]
    ix = QaIndex()
    ix.add("l", document(pages, "letter.pdf"), "letter.pdf")
    return ix


def test_a_postal_code_is_read_by_its_shape() -> None:
    q = classify("What is the ZIP code of Riverton?")
    assert q.type is AnswerType.NUMBER and q.postal and q.terms == ("riverton",)
    ix = _letter()
    answer = extractive_answer(q.text, search(ix, q.text, ["l"]))
    assert "08077" in answer.text and answer.citations[0].block_id == "p1/b2"
    # Camden has a number (3 days) but no postal code; Springfield is not in the letter
    for other in ("What is the ZIP code of Camden?", "What is the postal code of Springfield?"):
        assert extractive_answer(other, search(ix, other, ["l"])).text == NO_ANSWER_EN


def _volunteer_form() -> QaIndex:
    pages = [[
        block(1, 0, BlockType.TITLE, "Volunteer application form"),
        block(1, 1, BlockType.PARAGRAPH, "Estimated time: 15 minutes"),
        block(1, 2, BlockType.PARAGRAPH, "Please complete all sections in ink and return the form to the front desk."),
        block(1, 3, BlockType.PARAGRAPH, "Training sessions last half an hour and are held every Tuesday."),
    ]]
    ix = QaIndex()
    ix.add("v", document(pages, "volunteer.pdf"), "volunteer.pdf")
    return ix


def test_how_long_it_takes_is_a_time_label() -> None:
    ix = _volunteer_form()
    q = "How long does it take to complete the form?"
    # the sentence that holds "complete" and "form" says what to do, not how long: the time label answers
    answer = extractive_answer(q, search(ix, q, ["v"]))
    assert answer.text == "Estimated time: 15 minutes [1]" and answer.citations[0].block_id == "p1/b1"
    q = "How long do training sessions last?"
    assert "half an hour" in extractive_answer(q, search(ix, q, ["v"])).text
    q = "How long does the interview take?"  # nothing of it around the time label
    assert extractive_answer(q, search(ix, q, ["v"])).text == NO_ANSWER_EN
