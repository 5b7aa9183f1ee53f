"""One test per answer-stage failure class of issue 17, on generated documents."""

from __future__ import annotations

from qadocs import block, document, table

from docrecon.model import Block, BlockType
from docrecon.qa.answer import NO_ANSWER_EN, NO_ANSWER_ZH, candidate_spans, extractive_answer, score_spans, search
from docrecon.qa.index import QaIndex
from docrecon.qa.question import AnswerType, classify
from docrecon.qa.spans import sentence_spans


def _ix(*docs: tuple[str, list[list[Block]]]) -> QaIndex:
    ix = QaIndex()
    for name, pages in docs:
        ix.add(name, document(pages, f"{name}.pdf"), f"{name}.pdf")
    return ix


def _ask(ix: QaIndex, q: str, docs: list[str]) -> str:
    return extractive_answer(q, search(ix, q, docs)).text


def _distractor() -> tuple[str, list[list[Block]]]:
    return ("memo", [[block(1, 0, BlockType.PARAGRAPH, "The canteen opens at noon and closes at three."),
                      block(1, 1, BlockType.PARAGRAPH, "Parking permits are renewed every spring.")]])


def test_a_line_that_stops_mid_sentence_runs_on_inside_its_block() -> None:
    # preformatted and line-numbered text (a transcript) keeps its line breaks inside one block
    wrapped = ("The soil survey of the north field was carried out by\nMaria Lopez of the county office, who\n"
               "sampled forty plots.\nResults follow below.")
    numbered = ("4 APPEARANCES:\n5 DANIEL K. OSEI, ESQ., Assistant Solicitor, Port\n"
                "6 Harcourt; on behalf of the Appellant.\n7 CONTENTS")
    ix = _ix(("survey", [[block(1, 0, BlockType.CODE, wrapped)]]),
             ("hearing", [[block(1, 0, BlockType.CODE, numbered)]]), _distractor())
    hit = ix.search("soil survey north field", ["survey"], k=1)[0]
    texts = [s.text for s in sentence_spans(hit)]
    assert ("The soil survey of the north field was carried out by Maria Lopez of the county office, who "
            "sampled forty plots.") in texts
    assert "Results follow below." in texts  # an ended sentence does not run on
    assert "Maria Lopez" in _ask(ix, "Who carried out the soil survey of the north field?", ["survey", "memo"])
    assert "OSEI" in _ask(ix, "Who appeared on behalf of the Appellant?", ["hearing", "memo"])


def _finance() -> tuple[str, list[list[Block]]]:
    rows = [["Item", "2022", "2023", "2024E"], ["Revenue", "410", "455", "502"], ["Net profit", "31", "38", "44"]]
    return ("finance", [[block(1, 0, BlockType.HEADING, "Orbis Foods revenue and profit forecast", level=1),
                         block(1, 1, BlockType.TABLE, table=table(rows)),
                         block(1, 2, BlockType.PARAGRAPH, "Total assets (million): 1,204")]])


def test_a_year_or_code_the_question_names_must_be_in_the_answer() -> None:
    ix = _ix(_finance(), _distractor())
    assert "502" in _ask(ix, "What is the revenue in 2024E?", ["finance", "memo"])
    assert _ask(ix, "What is the forecast revenue of Orbis Foods in 2027?", ["finance", "memo"]) == NO_ANSWER_EN
    assert _ask(ix, "Orbis Foods 2027年的净利润预测是多少？", ["finance", "memo"]) == NO_ANSWER_ZH


def test_a_question_naming_only_a_column_reads_a_one_row_table() -> None:
    rows = [["Start", "End", "Sessions", "Total Fee"], ["03/02/25", "03/09/25", "6", "$1,840.00"]]
    ix = _ix(("course", [[block(1, 0, BlockType.CAPTION, "Course summary", caption_of="p1/b1"),
                          block(1, 1, BlockType.TABLE, table=table(rows))]]), _distractor())
    q = "What is the total fee of the course?"
    answer = extractive_answer(q, search(ix, q, ["course", "memo"]))
    assert "$1,840.00" in answer.text and answer.citations[0].doc_id == "course"


def test_a_form_laid_out_as_a_table_gives_label_value_fields() -> None:
    rows = [["Invoice No:", "INV-0077", "Due Date:", "2025-04-01"],
            ["Ref:", "PO-5521", "Supplier:", "Nordic Paper AB"]]
    ix = _ix(("invoice", [[block(1, 0, BlockType.TABLE, table=table(rows))]]), _distractor())
    # the grid's rows are not read as a header and values ("INV-0077 — Due Date:: Ref:")
    assert _ask(ix, "Who is the supplier on the invoice?", ["invoice", "memo"]) == "Supplier: Nordic Paper AB [1]"
    assert "Due Date: 2025-04-01" in _ask(ix, "When is the invoice due date?", ["invoice", "memo"])
    # "Ref:" is an abbreviated label: the question's "reference" starts with it
    assert "PO-5521" in _ask(ix, "What is the reference on the invoice?", ["invoice", "memo"])


def test_a_sentence_opening_with_a_pronoun_takes_the_subject_of_the_one_before() -> None:
    text = ("Dr. Amara Okafor joined the marine lab in 2019. She studies coral bleaching on warm reefs. "
            "Dr. Amara Okafor also teaches a seminar.")
    ix = _ix(("lab", [[block(1, 0, BlockType.PARAGRAPH, text)]]), _distractor())
    assert "coral bleaching" in _ask(ix, "What does Dr. Amara Okafor study?", ["lab", "memo"])


def test_a_question_cell_is_answered_by_the_cell_after_it() -> None:
    rows = [["ID", "Question", "Answer"], ["Q1", "Who may book the meeting rooms?", "Any staff member with a badge"],
            ["Q2", "How early can rooms be booked?", "Up to two weeks ahead"]]
    ix = _ix(("faq", [[block(1, 0, BlockType.TABLE, table=table(rows))]]), _distractor())
    assert _ask(ix, "How early can rooms be booked?", ["faq", "memo"]) == (
        "How early can rooms be booked? Up to two weeks ahead [1]")


def test_a_column_named_only_by_the_asked_type_does_not_answer() -> None:
    rows = [["Name", "City", "Signup Date"], ["Ana Silva", "Braga", "2021-06-14"], ["Tom Berg", "Malmo", "2020-01-09"]]
    ix = _ix(("crm", [[block(1, 0, BlockType.TABLE, table=table(rows))]]), _distractor())
    assert "2021-06-14" in _ask(ix, "What is Ana Silva's signup date?", ["crm", "memo"])
    assert _ask(ix, "What is Ana Silva's date of birth?", ["crm", "memo"]) == NO_ANSWER_EN


def test_the_author_list_answers_who_wrote_not_who_did() -> None:
    pages = [[block(1, 0, BlockType.TITLE, "Wetland birds of the delta"),
              block(1, 1, BlockType.PARAGRAPH, "J. Marsh, K. Lindqvist"),
              block(1, 2, BlockType.PARAGRAPH, "Delta Research Institute, Leiden."),
              block(1, 3, BlockType.PARAGRAPH, "The nests were counted by volunteers from the river trust.")]]
    ix = _ix(("birds", pages), _distractor())
    assert "Marsh" in _ask(ix, "Who wrote the report on wetland birds?", ["birds", "memo"])
    assert "Marsh" not in _ask(ix, "Who counted the nests?", ["birds", "memo"])


def test_a_title_question_is_answered_by_a_heading_not_a_field() -> None:
    pages = [[block(1, 0, BlockType.PAGE_HEADER, "RIVER SCIENCE"),
              block(1, 1, BlockType.PARAGRAPH, "See also: Sediment and the delta: a review, 2019."),
              block(1, 2, BlockType.HEADING, "Sediment and the delta: a century of change", level=1),
              block(1, 3, BlockType.PARAGRAPH, "Sediment loads fell after the dams were built.")]]
    ix = _ix(("river", pages), _distractor())
    assert "a century of change" in _ask(ix, "What is the title of the article on sediment and the delta?",
                                         ["river", "memo"])


def test_near_ties_go_to_reading_order() -> None:
    text = ("- A claim must be filed within 10 days on the national portal for insurance claims.\n"
            "- A claim must also be filed within 30 days with the regional office by post.")
    ix = _ix(("claims", [[block(1, 0, BlockType.PARAGRAPH, text)]]), _distractor())
    assert "10 days" in _ask(ix, "Within how many days must a claim be filed?", ["claims", "memo"])


def test_question_terms_drop_possessives_and_asking_words() -> None:
    assert "s" not in classify("What is Roy Berry's date of birth?").terms
    q = classify("哪一部分规定了报告的转载？")
    assert q.type is AnswerType.SECTION and not {"一部", "一部分"} & set(q.terms)


def test_concise_answers_keep_the_asked_cells_and_clauses() -> None:
    row = ["SCR-4", "3", "01/05/25", "01/19/25", "Harbour Lights (Runtime: 112 min)", "Evening", "IMAX",
           "7:15 PM", "Daily", "14", "$180", "EV", "$2,520"]
    head = ["Screen", "Ln", "Start", "End", "Movie Title", "Slot", "Format", "Showtime", "Days", "Shows", "Rate",
            "Type", "Total"]
    ix = _ix(("plan", [[block(1, 0, BlockType.TABLE, table=table([head, row]))]]), _distractor())
    answer = _ask(ix, "How long is the runtime of Harbour Lights?", ["plan", "memo"])
    assert "112 min" in answer and len(answer) <= 200
    text = ("Rival firms hold 12.1% and 14.9% of the regional market, and with 2.2 million riders a year the "
            "report argues that Northline could be held liable for the annual losses of some 41 200 riders, "
            "and Westway for some 55 900 riders.")
    ix = _ix(("rail", [[block(1, 0, BlockType.PARAGRAPH, text)]]), _distractor())
    answer = _ask(ix, "For how many annual losses of riders could Westway be held liable?", ["rail", "memo"])
    assert "55 900" in answer and len(answer) <= 200
    chart = ("90% 80% 70% 60% 50% 40% 30% 20% 10% 0% -10% -20% 2024-01 2024-04 2024-07 2024-10 指数对比 1M 3M 6M "
             "绝对收益(%) 3.12 9.40 15.05 相对收益(%) 1.07 4.66 11.93 数据来源 指数公司 年度报告 季度报告 月度报告")
    ix = _ix(("fund", [[block(1, 0, BlockType.PARAGRAPH, chart)]]), _distractor())
    answer = _ask(ix, "6M相对收益是多少？", ["fund", "memo"])
    assert "11.93" in answer and len(answer) <= 200


def test_a_label_block_takes_its_value_from_the_block_after_it() -> None:
    pages = [[block(1, 0, BlockType.TITLE, "Quarterly sector review"),
              block(1, 1, BlockType.PARAGRAPH, "Lead analyst"),
              block(1, 2, BlockType.PARAGRAPH, "Helena Varga"),
              block(1, 3, BlockType.PARAGRAPH, "项目经理"),
              block(1, 4, BlockType.PARAGRAPH, "周文斌"),
              block(1, 5, BlockType.PARAGRAPH, "The review covers twelve listed firms and their suppliers.")]]
    ix = _ix(("review", pages), _distractor())
    assert "Helena Varga" in _ask(ix, "Who is the lead analyst of the review?", ["review", "memo"])
    assert "周文斌" in _ask(ix, "这份报告的项目经理是谁？", ["review", "memo"])


def test_full_width_questions_meet_half_width_text() -> None:
    rows = [["指标", "2022", "2023E"], ["每股收益", "1.21", "1.48"], ["净利润率", "9.1%", "10.4%"]]
    ix = _ix(("zhreport", [[block(1, 0, BlockType.HEADING, "盈利预测", level=1),
                            block(1, 1, BlockType.TABLE, table=table(rows))]]), _distractor())
    assert "1.48" in _ask(ix, "２０２３Ｅ的每股收益是多少？", ["zhreport", "memo"])
    assert "10.4%" in _ask(ix, "2023E的净利润率是多少", ["zhreport", "memo"])


def test_a_row_does_not_answer_an_attribute_its_table_lacks() -> None:
    people = [["名前", "年齢", "住所"], ["山田花子", "41", "札幌"], ["小林健", "29", "福岡"]]
    names = [["Character", "Name in German", "Name in Dutch"], ["Daisy", "Daisy Duck", "Katrien Duck"],
             ["Gyro", "Daniel Düsentrieb", "Willie Wortel"]]
    ix = _ix(("people", [[block(1, 0, BlockType.TABLE, table=table(people))]]),
             ("names", [[block(1, 0, BlockType.HEADING, "Duck names", level=1),
                         block(1, 1, BlockType.TABLE, table=table(names))]]), _distractor())
    assert _ask(ix, "山田花子的职业是什么？", ["people", "memo"]) == NO_ANSWER_ZH
    assert "41" in _ask(ix, "山田花子的年龄是多少？", ["people", "memo"])  # 年龄 names the column 年齢
    assert _ask(ix, "What is Daisy's name in Spanish?", ["names", "memo"]) == NO_ANSWER_EN
    assert "Katrien Duck" in _ask(ix, "What is Daisy's name in Dutch?", ["names", "memo"])


def test_a_cjk_label_inside_a_longer_question_word_answers_it() -> None:
    pages = [[block(1, 0, BlockType.PARAGRAPH, "行业研究周报"),
              block(1, 1, BlockType.PARAGRAPH, "分析师"),
              block(1, 2, BlockType.PARAGRAPH, "王立群"),
              block(1, 3, BlockType.PARAGRAPH, "执业编号：S1230519080001邮箱：wlq@example.cn"),
              block(1, 4, BlockType.PARAGRAPH, "本周行业景气度继续回升，订单同比增长。")]]
    ix = _ix(("weekly", pages), _distractor())
    q = classify("王立群的邮箱地址是什么？")
    best = score_spans(q, candidate_spans(q, search(ix, q.text, ["weekly", "memo"])))[0]
    assert best.text == "邮箱: wlq@example.cn"
    assert best.score > 0.8  # "邮箱地址" and its part "地址" are answered by the label "邮箱", not left unmatched


def test_variant_cjk_characters_fold_to_one_form() -> None:
    from docrecon.qa.variants import fold

    assert fold("年齢・東京・營業") == "年龄・东京・营业"
    assert fold("ＡＢＣ１２３") == "ABC123"
    assert classify("三木英子的职业是什么？").named[-1] == "职业"
    assert "spanish" in classify("What is Huey's name in Spanish?").named


def test_a_dated_line_takes_the_names_of_the_lines_above_it() -> None:
    # a transcript: one block a line, the date three lines under the parties' names
    lines = ["1 IN THE COURT OF APPEALS OF THE STATE", "2 HENRIETTA O. BALDWIN, :", "3 Appellant :",
             "4 v. : No. 11-0840", "5 TOMASZ WIERZBICKI. :", "6 Springfield, Ill.",
             "7 Monday, March 4, 2013\n8\n9 The above-entitled matter came on for oral\n10 hearing before the court.",
             "11 APPEARANCES:", "12 LENA FROST, ESQ., on behalf of the Appellant."]
    ix = _ix(("hearing", [[block(1, i, BlockType.PARAGRAPH, t) for i, t in enumerate(lines)]]), _distractor())
    answer = _ask(ix, "When was the Baldwin v. Wierzbicki hearing?", ["hearing", "memo"])
    assert "March 4, 2013" in answer


def test_a_heading_left_a_plain_block_answers_a_section_question() -> None:
    pages = [[block(1, 0, BlockType.HEADING, "买入（首次）", level=1),
              block(1, 1, BlockType.PARAGRAPH, "所属行业：电力设备"),
              block(1, 2, BlockType.PARAGRAPH, "往期研究报告"),
              block(1, 3, BlockType.PARAGRAPH, "1.《储能系统：订单放量，盈利改善》，2023.3.2"),
              block(1, 4, BlockType.PARAGRAPH, "2.《逆变器：海外需求旺盛》，2023.1.9")],
             [block(2, 0, BlockType.HEADING, "Fleet summary", level=1),
              block(2, 1, BlockType.PARAGRAPH, "The depot runs forty buses on nine routes."),
              block(2, 2, BlockType.PARAGRAPH, "Maintenance schedule"),
              block(2, 3, BlockType.PARAGRAPH, "Each bus is serviced every six weeks at the north garage.")]]
    ix = _ix(("brief", pages), _distractor())
    q = "哪个章节列出了往期研究报告？"
    answer = extractive_answer(q, search(ix, q, ["brief", "memo"]))
    assert answer.text.startswith("往期研究报告")
    q = "Which section covers the maintenance schedule?"
    answer = extractive_answer(q, search(ix, q, ["brief", "memo"]))
    assert answer.text.startswith("Maintenance schedule") and answer.citations[0].page == 2


def test_no_answer_margins_are_set_by_features_not_by_the_threshold() -> None:
    from docrecon.qa.answer import MIN_SCORE

    # a column named only by the asked type, and a question word the document never uses: far below
    rows = [["Name", "City", "Signup Date"], ["Ana Silva", "Braga", "2021-06-14"], ["Tom Berg", "Malmo", "2020-01-09"]]
    ix = _ix(("crm", [[block(1, 0, BlockType.TABLE, table=table(rows))]]), _distractor())
    q = classify("What is Ana Silva's date of birth?")
    ranked = score_spans(q, candidate_spans(q, search(ix, q.text, ["crm", "memo"])))
    assert ranked[0].score < MIN_SCORE / 2
    # a sentence with a date and every name the question names answers although the question's
    # other words ("dinner", "house") are not in it; without the names it does not
    novel = ("The guests had gathered in the long hall before the candles were lit. It was in March, 1849, and the "
             "host was the famous Dmitri Orlov, a retired colonel of the guards. He greeted everyone by the door.")
    ix = _ix(("novel", [[block(1, 0, BlockType.PARAGRAPH, novel)]]), _distractor())
    q = classify("When does the dinner at Dmitri Orlov's house take place?")
    ranked = score_spans(q, candidate_spans(q, search(ix, q.text, ["novel", "memo"])))
    assert ranked[0].score < MIN_SCORE
    assert "March, 1849" in _ask(ix, q.text, ["novel", "memo"])
    assert _ask(ix, "When does the dinner at Ivan Petrov's house take place?", ["novel", "memo"]) == NO_ANSWER_EN


def test_an_abbreviated_label_meets_the_word_it_stands_for() -> None:
    lines = ["IN THE DISTRICT COURT", "HARLOW v. PENDERGAST : No. 14-2231", "Argued before the full bench."]
    ix = _ix(("court", [[block(1, i, BlockType.PARAGRAPH, t) for i, t in enumerate(lines)]]), _distractor())
    hits = search(ix, "What is the number?", ["court", "memo"])
    assert hits and hits[0].chunk.doc_id == "court"  # "No." is found for "number"
    assert "14-2231" in _ask(ix, "What is the docket number of Harlow v. Pendergast?", ["court", "memo"])
    slip = [block(1, 0, BlockType.PARAGRAPH, "Packing slip"), block(1, 1, BlockType.PARAGRAPH, "Hex bolts M8 Qty: 400"),
            block(1, 2, BlockType.PARAGRAPH, "Washers Qty: 250")]
    ix = _ix(("slip", [slip]), _distractor())
    assert "400" in _ask(ix, "What is the quantity of hex bolts?", ["slip", "memo"])


def test_a_section_answer_is_cited_where_its_section_starts() -> None:
    filler = ("Every crate is logged when it arrives, weighed on the floor scale and given a bay number by the "
              "shift lead before it is moved. ") * 4
    pages = [[block(1, 0, BlockType.HEADING, "Receiving goods", level=1),
              block(1, 1, BlockType.PARAGRAPH, filler), block(1, 2, BlockType.PARAGRAPH, filler)],
             [block(2, 0, BlockType.PARAGRAPH, filler), block(2, 1, BlockType.PARAGRAPH, filler)],
             [block(3, 0, BlockType.PARAGRAPH, "Perishable pallets go to the cold room within twenty minutes."),
              block(3, 1, BlockType.HEADING, "Dispatch", level=1),
              block(3, 2, BlockType.PARAGRAPH, "Orders leave from dock four after the evening count.")]]
    ix = _ix(("depot", pages), _distractor())
    q = "Which section covers perishable pallets?"
    answer = extractive_answer(q, search(ix, q, ["depot", "memo"]))
    assert answer.text.startswith("Receiving goods")
    assert answer.citations[0].page == 1  # where "Receiving goods" starts, not the page the words are on


def test_the_first_author_is_read_from_the_name_list_under_the_title() -> None:
    paper = [[block(1, 0, BlockType.TITLE, "Orion: Fast Graph Queries at Scale"),
              block(1, 1, BlockType.PARAGRAPH, "Maya Lindqvist, Tomas Ferreira, Aiko Sato"),
              block(1, 2, BlockType.HEADING, "Abstract", level=1),
              block(1, 3, BlockType.PARAGRAPH, "Using Orion, analysts can run graph queries over billions of edges.")]]
    slides = [[block(1, 0, BlockType.CAPTION, "The first page of the Orion paper."),
               block(1, 1, BlockType.PARAGRAPH, "Orion is presented at the spring workshop.")]]
    ix = _ix(("paper", paper), ("slides", slides), _distractor())
    q = classify("Who is the first author of the Orion paper?")
    assert q.terms == ("orion",)  # "first" only says which author is asked
    assert "Maya Lindqvist" in _ask(ix, q.text, ["paper", "slides", "memo"])


def test_a_what_is_question_is_answered_by_the_sentence_that_defines_it() -> None:
    paper = [[block(1, 0, BlockType.TITLE, "Kestrel: Scheduling Batch Jobs on Shared Clusters"),
              block(1, 1, BlockType.HEADING, "Abstract", level=1),
              block(1, 2, BlockType.PARAGRAPH, "Kestrel is a scheduler that packs batch jobs onto idle cluster nodes "
                                               "without delaying interactive work, using short leases."),
              block(1, 3, BlockType.PARAGRAPH, "With Kestrel, operators cut idle time by a third.")],
             [block(2, 0, BlockType.PARAGRAPH, "网关是连接两个网络的设备，负责转发数据包。"),
              block(2, 1, BlockType.PARAGRAPH, "网关：见第三章")]]
    ix = _ix(("paper", paper), _distractor())
    assert "packs batch jobs" in _ask(ix, "What is Kestrel?", ["paper", "memo"])
    assert "连接两个网络的设备" in _ask(ix, "什么是网关？", ["paper", "memo"])
    assert classify("What is the total fee of the course?").defines == ""
