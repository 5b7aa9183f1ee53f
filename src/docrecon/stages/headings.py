"""Headings and the title from font statistics over the whole document and numbering patterns.

The body size is the most common font size weighted by text length. A short block is a heading
when it is larger than the body, or bold at body size, or numbered like a section ("1.2",
"第一章", "一、") and set apart by size or weight. Levels come from the distinct heading sizes
(largest first, the same on every page) and, where present, from the numbering depth.
"""

from __future__ import annotations

import re
from collections import Counter

from docrecon.geometry.text import CAPTION, DATE, ends_sentence, field_value, join_lines
from docrecon.model import BBox, Block, BlockType, Document, Layer, Origin, Page
from docrecon.stages.base import StageContext

NUMBERED = re.compile(r"^\s*((?:\d{1,2}\.){1,5}\d{0,2}|\d{1,2})\.?\s+\S")
CHAPTER = re.compile(r"^\s*(第[一二三四五六七八九十百\d]+[章部篇]|(chapter|part)\s+[\dIVXivx]+\b)", re.IGNORECASE)
SECTION_CN = re.compile(r"^\s*第[一二三四五六七八九十百\d]+[节條条]")
CN_ONE = re.compile(r"^\s*[一二三四五六七八九十]+、")
CN_TWO = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")
APPENDIX = re.compile(r"^\s*(appendix|annex|附录)\b", re.IGNORECASE)
MAX_HEADING_CHARS = 160
LEADER_DOTS = re.compile(r"(\.\s?){4,}|…{2,}|_{4,}")
#: a bullet glyph: the block is a list item, not a heading (numbered headings stay candidates)
BULLET = re.compile(r"^\s*[•◦▪▫●○■□►▶➢➤✓✔·∙⁃]")
#: display type (a paper's title) may run to a sentence of this length and still be a heading
MAX_DISPLAY_CHARS = 260
DISPLAY_RATIO = 1.5
#: OCR reads sizes from ink heights, which vary by a sixth between lines of one font (skew,
#: accents, letter shapes): a recognised line is larger than the body only beyond this ratio
OCR_LARGER = 1.3


#: a byline: personal names ("Ana M. Ruiz¹, Bo Li* and C. Wu"), two to four words a name, each
#: capitalised (or a particle), none a word that heads sections ...
NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
NAME_MARKS = "0123456789*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰,"
PARTICLES = frozenset({"van", "von", "de", "der", "den", "di", "da", "del", "della", "des", "du", "la", "le",
                       "bin", "ibn", "al", "el", "dos", "y"})
SECTION_WORDS = frozenset("""abstract acknowledgements acknowledgments appendix background chapter conclusion
conclusions contents discussion executive experiments figure foreword glossary index introduction methods
notes overview part preface references related report results section summary table work""".split())


def _name(chunk: str) -> bool:
    """Two to four capitalised words (or particles): "Ana M. Ruiz¹", "Ludwig van Beethoven"."""
    words = [w for w in (w.strip(NAME_MARKS) for w in chunk.split()) if w]
    if not 2 <= len(words) <= 4:
        return False
    for w in words:
        if w.lower() in SECTION_WORDS:
            return False
        if not (w[0].isupper() and w[0].isalpha() or w.lower() in PARTICLES):
            return False
        if any(ch.isdigit() for ch in w) or not all(ch.isalpha() or ch in ".-'’" for ch in w):
            return False
    return True


def _names(chunk: str) -> int:
    """How many names ``chunk`` is: one, or a run of two-word names set apart only by wide
    spaces ("Jake Poznanski   Luca Soldaini   Kyle Lo": four to eight words, paired); 0 if none."""
    if _name(chunk):
        return 1
    words = chunk.split()
    if len(words) % 2 or not 4 <= len(words) <= 8:
        return 0
    pairs = [" ".join(words[k:k + 2]) for k in range(0, len(words), 2)]
    return len(pairs) if all(_name(p) for p in pairs) else 0


def _named_place(chunk: str) -> bool:
    """A name run into its affiliation ("Mohammad Chuttur Indiana University"): two or three
    words of a name, then words that are an affiliation by themselves (two at least)."""
    words = chunk.split()
    return any(_name(" ".join(words[:k])) and len(words) - k >= 2 and AFFILIATION.search(" ".join(words[k:]))
               for k in (2, 3))


#: a weekday before a date ("Monday, December 5, 2011")
WEEKDAY = re.compile(r"^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+", re.I)


def _split_date(line: str) -> tuple[str, bool]:
    """``line`` without a date that closes it (with its weekday), and whether there was one:
    a name and the date beside it on one line ("Avram Lyon   Monday, December 5, 2011")."""
    words = line.split()
    for k in range(1, len(words)):
        rest = " ".join(words[k:])
        if DATE.match(WEEKDAY.sub("", rest)):
            return " ".join(words[:k]), True
    return line, False


def _people(line: str) -> tuple[bool, bool]:
    """(the line is names and affiliations only, it holds a name): chunks between commas and
    "and" are names, affiliations, or single capitalised words beside an affiliation (a
    country)."""
    chunks = [c.strip(NAME_MARKS + " ") for c in NAME_SPLIT.split(line)]
    chunks = [c for c in chunks if c]
    if not chunks or len(line.split()) > 24:
        return False, False
    places = [c for c in chunks if AFFILIATION.search(c)]
    names = [c for c in chunks if c not in places and _names(c) or c in places and _named_place(c)]
    rest = [c for c in chunks if c not in names and c not in places]
    single = all(len(c.split()) == 1 and c[0].isupper() for c in rest)
    return (not rest or bool(places) and single), bool(names)


#: ... a date ("January 3, 2024", "3 March 2024", "2024-01-03", "March 2024") ...
#: ... or an e-mail address
EMAIL = re.compile(r"^\S*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\S*(?:[,;\s]+\S*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\S*)*$")


#: ... and, beside those, affiliations ("Indiana University, USA", "清华大学")
AFFILIATION = re.compile(r"(?<![A-Za-zÀ-ÿ])(?:Universit(?:y|ät|é|à|at)|Universidad|Institut(?:e|o)?|College"
                         r"|Laborator(?:y|ies)|School|Department|Dept\.|Faculty|Hospital|Cent(?:er|re)|Academy|Inc\.?|Ltd\.?|LLC|GmbH"
                         r"|Corporation|Corp\.)(?=\W|$)|大学|研究所|学院|研究院")


def _byline(b: Block, after_names: bool = False) -> bool:
    """A block of author names, affiliations, dates and e-mail addresses only; affiliations
    alone only right after names. One line of one plain name says too little ("Financial
    Highlights" reads as a name too), and in bold only two or more names do."""
    lines = [ln.strip() for ln in b.text.split("\n") if ln.strip()]
    if not lines:
        return False
    named = False
    dated = False
    for ln in lines:
        if DATE.match(ln) or EMAIL.match(ln):
            named = True
            continue
        ln, with_date = _split_date(ln)
        dated = dated or with_date
        only, has_name = _people(ln)
        if not only:
            return False
        named = named or has_name
    count = sum(_names(c.strip(NAME_MARKS + " ")) for ln in lines for c in NAME_SPLIT.split(_split_date(ln)[0]))
    placed = any(AFFILIATION.search(ln) for ln in lines)
    if b.bold:  # authors in bold: only two or more names say so, or a name with its affiliation
        return count >= 2 or placed and (count >= 1 or any(_named_place(c) for c in NAME_SPLIT.split(lines[0])))
    if not named:
        return after_names
    if len(lines) > 1 or dated or DATE.match(lines[0]) or EMAIL.match(lines[0]):
        return True  # several lines, or a date or address
    chunks = [c for c in NAME_SPLIT.split(lines[0]) if c.strip(NAME_MARKS + " ")]
    return len(chunks) > 1 or count > 1 or placed or any(ch in NAME_MARKS for ch in lines[0])


def numbering_level(text: str) -> int:
    """Section depth from a numbering prefix, 0 if none."""
    if CHAPTER.match(text):
        return 1
    if SECTION_CN.match(text):
        return 2
    if CN_ONE.match(text):
        return 1
    if CN_TWO.match(text):
        return 2
    m = NUMBERED.match(text)
    if m:
        parts = [p for p in m.group(1).split(".") if p]
        return len(parts)
    return 0


def _body_size(blocks: list[Block]) -> float:
    weights: Counter[float] = Counter()
    for b in blocks:
        if b.type is BlockType.PARAGRAPH and b.font_size > 0:
            weights[round(b.font_size * 2) / 2] += len(b.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _larger(b: Block, body: float) -> bool:
    """Set larger than the body (a recognised line only beyond ``OCR_LARGER``)."""
    return b.font_size >= (body * OCR_LARGER if b.origin is Origin.OCR else body + 1.0)


def _candidate(b: Block, body: float) -> bool:
    text = b.text.strip()
    if b.type is not BlockType.PARAGRAPH or not text or len(text) > MAX_HEADING_CHARS or b.font_size <= 0:
        return False
    if not any(ch.isalpha() for ch in text) or LEADER_DOTS.search(text):
        return False
    if BULLET.match(text) or CAPTION.match(text) or _aside(text) or _figures(text):
        return False
    if _display(b, body) and len(text) <= MAX_DISPLAY_CHARS:
        return True
    if text.count("\n") > 2 or (ends_sentence(text) and not text.endswith(":") and len(text) > 60):
        return False
    if text.count(",") >= 3 or text.count("，") >= 3:
        return False
    larger = _larger(b, body)
    if not larger and _data_field(text) or _contact(text):
        return False
    bold = b.bold and b.font_size >= body - 0.6
    numbered = numbering_level(text) > 0 and (larger or b.bold)
    plain_end = not text.endswith((".", "。", ",", "，", ";", "；"))
    italic = b.italic and abs(b.font_size - body) < 0.6 and len(text) <= 60 and "\n" not in text
    return larger or numbered or (bold and len(text) < 100 and plain_end) or (italic and plain_end and _single_line(b))


_FIGURE = re.compile(r"^[-+−(]?[\d.,%]*\d[\d.,%]*[)]?$")


def _figures(text: str) -> bool:
    """More numbers than words, two numbers at least: a chart's labels or a table's row
    ("15 to 24 5.3 1.4"), not a heading ("14 CFR Part 39", "Layer 25" have as many words; a
    section number does not count: "1 Chapter 1")."""
    tokens = text.split()
    if len(tokens) > 1 and numbering_level(text) > 0:
        tokens = tokens[1:]  # the section number ("1 Chapter 1") is no figure
    numbers = sum(1 for t in tokens if _FIGURE.match(t))
    return numbers >= 2 and numbers * 2 > len(tokens)


#: a word broken at the line's end ("flu-"): the sentence goes on
BROKEN_WORD = re.compile(r"[a-z]-$")


def _mid_sentence(text: str) -> bool:
    """A piece of running text, not a heading: it ends in a word broken over the line, or it
    opens with a lower-case Latin word and runs to three words or more ("diately above,
    suppose that ...", the rest of a sentence after a column break)."""
    if BROKEN_WORD.search(text):
        return True
    first = next((ch for ch in text if ch.isalpha()), "")
    return "a" <= first <= "z" and text[:1].isalpha() and len(text.split()) >= 3


#: a contents entry: a title and the page it starts on ("3 Baz 2", "Methods 14")
PAGE_REF = re.compile(r"^\S.*\s(\d{1,4})$")
#: this many consecutive entries with rising page numbers are a table of contents
MIN_CONTENTS_RUN = 3


def _drop_contents_runs(pages: list[Page], heads: list[Block]) -> list[Block]:
    """Runs of consecutive heading candidates that each end in a page number, the numbers not
    falling: the entries of a table of contents (without dot leaders), not headings. Entries
    with dot leaders count in a run too: one entry set without them, among entries with them,
    is an entry all the same."""
    chosen = {id(b) for b in heads}
    gone: set[int] = set()
    for page in pages:
        runs: list[list[tuple[Block, int]]] = [[]]
        for b in page.body():
            text = " ".join(b.text.split())
            m = PAGE_REF.match(text) if id(b) in chosen or LEADER_DOTS.search(text) else None
            if m is None:
                runs.append([])
                continue
            ref = int(m.group(1))
            if runs[-1] and ref < runs[-1][-1][1]:
                runs.append([])
            runs[-1].append((b, ref))
        gone.update(id(b) for run in runs if len(run) >= MIN_CONTENTS_RUN for b, _ in run)
    return [b for b in heads if id(b) not in gone] if gone else heads


#: a phone number, an e-mail address or a web address ...
CONTACT = re.compile(r"\+?\(?\d[\d .()/-]{6,}\d|\S+@\S+\.\w+|(?:https?://|www\.)\S+", re.I)
#: ... and the labels before them ("Tél. :", "E-mail:", "Contact :", "Permanent URL:")
CONTACT_LABEL = re.compile(r"(?:^|\s)[^\W\d_][\w.'’-]{0,20}(?:\s[^\W\d_][\w.'’-]{0,20})?\.?\s?[:：]")


def _contact(text: str) -> bool:
    """Contact details only, alone or as fields' values ("Tél. : 04.66.38.61.58", "Contact :
    atdx@atdx.fr", "www.example.org"): never a heading, at any size."""
    if not CONTACT.search(text):
        return False
    rest = CONTACT_LABEL.sub(" ", CONTACT.sub(" ", text))  # addresses first: "http:" is no label
    return not any(ch.isalnum() for ch in rest)


def _data_field(text: str) -> bool:
    """A form field whose value is data ("Report Date: 2024-11-15", "Order #: SC-2024"), set in
    bold like its label: a field, not a heading ("Chapter 3: Results" has no data in its value)."""
    value = field_value(text)
    return value is not None and "\n" not in text and any(ch.isdigit() or ch == "@" for ch in value)


def _aside(text: str) -> bool:
    """A remark in parentheses: "(In millions)", "(continued)", "（续）"."""
    return text.startswith(("(", "（")) and text.endswith((")", "）")) and "\n" not in text


def _display(b: Block, body: float) -> bool:
    """Display type: much larger than the body, in at most three lines."""
    return b.font_size >= DISPLAY_RATIO * body and b.bbox.height < 4.2 * b.font_size and "\n" not in b.text


def _continues(a: Block, b: Block, body: float) -> bool:
    """``b`` is the wrapped second line of heading ``a``: the same type size and weight (display
    type may mix weights: Latin digits in a bold face, CJK in a regular one), right below it within
    a line's leading, starting inside its width, and not a heading of its own (numbered or after
    a finished sentence)."""
    size = max(a.font_size, 1.0)
    gap = b.bbox.y0 - a.bbox.y1
    return (
        abs(a.font_size - b.font_size) < 0.6
        and (a.bold == b.bold or _display(a, body) and _display(b, body))
        and -0.3 * size <= gap <= 0.8 * size
        and a.bbox.x0 - size <= b.bbox.x0 < a.bbox.x1
        and not ends_sentence(a.text)
        and numbering_level(b.text) == 0
        and len(a.text) + len(b.text) <= MAX_HEADING_CHARS
    )


def _merge_wrapped(pages: list[Page], heads: list[Block], body: float) -> list[Block]:
    """Join headings that wrap onto a second line back into one block."""
    chosen = {id(b) for b in heads}
    gone: set[int] = set()
    for page in pages:
        head: Block | None = None  # the heading that the next chosen line may carry on
        for b in (x for x in page.body() if x.layer is Layer.BODY):
            if head is not None and id(b) in chosen and _continues(head, b, body):
                if head.rich is not None or b.rich is not None:
                    head.rich = join_lines([head.rich or head.text, b.rich or b.text])
                head.text = join_lines([head.text, b.text])
                head.bbox = BBox.enclosing([head.bbox, b.bbox])
                gone.add(id(b))
                continue
            head = b if id(b) in chosen else None
        if gone:
            page.blocks = [x for x in page.blocks if id(x) not in gone]
    return [b for b in heads if id(b) not in gone]


def _emphasis_only(b: Block, body: float) -> bool:
    """A candidate by weight alone: body-size bold, unnumbered."""
    return b.bold and not _larger(b, body) and not _display(b, body) and numbering_level(b.text) == 0


def _drop_bold_runs(pages: list[Page], heads: list[Block], body: float) -> list[Block]:
    """Candidates by weight alone that come ``BOLD_RUN`` or more in a row, in one size, are not
    headings."""
    chosen = {id(b) for b in heads if _emphasis_only(b, body)}
    drop: set[int] = set()
    for page in pages:
        run: list[Block] = []
        for b in [x for x in page.body() if x.layer is Layer.BODY] + [None]:
            if b is not None and id(b) in chosen and (not run or abs(run[-1].font_size - b.font_size) < 0.6):
                run.append(b)
                continue
            if len(run) >= BOLD_RUN:
                drop.update(id(x) for x in run)
            run = [b] if b is not None and id(b) in chosen else []
    return [b for b in heads if id(b) not in drop]


def _uses(pages: list[Page], heads: list[Block]) -> Counter[float]:
    """How often each heading size is used; a stack of same-size headings with nothing between
    them (a title over its subtitle on a cover) is one use."""
    chosen = {id(b) for b in heads}
    uses: Counter[float] = Counter()
    for page in pages:
        prev: float | None = None
        for b in page.body():
            if b.layer is not Layer.BODY:
                continue
            size = round(b.font_size * 2) / 2 if id(b) in chosen else None
            if size is not None and size != prev:
                uses[size] += 1
            prev = size
    return uses


def _single_line(b: Block) -> bool:
    return b.font_size > 0 and b.bbox.height < 2.2 * b.font_size


MAX_SIZE_LEVELS = 4
#: this many consecutive body-size bold lines of one size are a bold passage (a syntax box, a
#: block of emphasised lines), not headings: a heading introduces text of another kind
BOLD_RUN = 3


def _size_ranks(sizes: list[float], counts: Counter[float]) -> dict[float, int]:
    """Heading sizes (descending) to levels. Sizes used by several headings define the levels
    (within 1pt they share one, at most 4); a one-off size (a cover line) takes the level of the
    nearest defining size above it (level 1 above them all), so it cannot push real sections down."""
    defining = [s for s in sizes if counts[s] >= 2]
    if not defining:
        return {s: 1 for s in sizes}
    rank: dict[float, int] = {}
    level = 0
    prev = None
    for s in defining:
        if prev is None or prev - s >= 1.0:
            level = min(MAX_SIZE_LEVELS, level + 1)
            prev = s
        rank[s] = level
    for s in sizes:
        if s not in rank:
            bigger = [d for d in defining if d >= s]
            rank[s] = rank[min(bigger)] if bigger else 1
    return rank


#: a figure's caption (below it): "Figure 3-1 ...", "Fig. 2", "图 1", "Chart 4", "Exhibit 2"
FIGURE_CAPTION = re.compile(r"^\s*(?i:fig\.?|figure|chart|exhibit|plate|图)\s*(\d|[IVX]+\b|[一二三四五六七八九十]+)")
#: this many heading candidates between a figure caption and the body text above it are the
#: labels of a diagram drawn as text (a syntax diagram, a flow chart), not sections
MIN_DIAGRAM_LABELS = 3


def _body_paragraph(b: Block, body: float) -> bool:
    return b.type is BlockType.PARAGRAPH and abs(b.font_size - body) < 0.6 and (
        "\n" in b.text.strip() or len(b.text) > 80 or b.bbox.height > 1.8 * b.font_size)


def _drop_diagram_labels(pages: list[Page], heads: list[Block], body: float) -> list[Block]:
    """Heading candidates in the space between a figure's caption and the body text above it,
    when there are several: text set in a drawn diagram."""
    chosen = {id(b) for b in heads}
    gone: set[int] = set()
    for page in pages:
        blocks = [b for b in page.body() if b.layer is Layer.BODY]
        for cap in blocks:
            if cap.type is not BlockType.PARAGRAPH or not FIGURE_CAPTION.match(cap.text) or id(cap) in chosen:
                continue
            reach = cap.bbox.height * 10
            above = [b for b in blocks if b is not cap and b.bbox.y1 <= cap.bbox.y0 + 1
                     and b.bbox.x1 > cap.bbox.x0 - reach and b.bbox.x0 < cap.bbox.x1 + reach]
            floor = max((b.bbox.y1 for b in above if _body_paragraph(b, body)), default=-1.0)
            labels = [b for b in above if b.bbox.y0 >= floor and id(b) in chosen]
            if len(labels) >= MIN_DIAGRAM_LABELS:
                gone.update(id(b) for b in labels)
    return [b for b in heads if id(b) not in gone] if gone else heads


#: a one-line paragraph this long or longer under the title is body text, not an address
MAX_FRONT_LINE = 160


def _drop_bylines(first: Page, heads: list[Block], body: float) -> list[Block]:
    """The author, date and e-mail lines under a document's title (front matter set larger than
    the body, as LaTeX's ``\\maketitle`` does) are not headings: on the first page, after its
    largest heading and before the first body paragraph."""
    blocks = first.body()
    top = [b for b in blocks if b in heads]
    if not top:
        return heads
    title = max(top, key=lambda b: b.font_size)
    drop: list[Block] = []
    for b in blocks[blocks.index(title) + 1:]:
        if b not in heads:
            prose = "\n" in b.text.strip() or len(b.text) > MAX_FRONT_LINE
            if b.type is BlockType.PARAGRAPH and abs(b.font_size - body) < 0.6 and prose:
                break  # the body begins (a one-line affiliation or address at body size does not end it)
            continue
        numbered = numbering_level(b.text) and not DATE.match(" ".join(b.text.split()))  # "20 mars 2024"
        if b.font_size >= title.font_size or numbered or not _byline(b, bool(drop)):
            break
        drop.append(b)
    return [h for h in heads if h not in drop] if drop else heads


class HeadingStage:
    name = "headings"
    block_types = (BlockType.PARAGRAPH,)

    def __call__(self, doc: Document, ctx: StageContext) -> None:
        pages = [p for p in doc.pages if not p.failed and not p.structured]
        blocks = [b for p in pages for b in p.body() if b.layer is Layer.BODY]
        body = _body_size(blocks)
        if body <= 0:
            return
        heads = _merge_wrapped(pages, [b for b in blocks if _candidate(b, body)], body)
        heads = [b for b in heads if not _mid_sentence(b.text.strip())]  # judged once wrapped lines are in
        heads = _drop_contents_runs(pages, heads)
        heads = _drop_bold_runs(pages, heads, body)
        if pages and heads:
            heads = _drop_bylines(pages[0], heads, body)
            heads = _drop_diagram_labels(pages, heads, body)
        if not heads:
            return
        sizes = sorted({round(b.font_size * 2) / 2 for b in heads if b.font_size >= body + 1.0}, reverse=True)
        counts = _uses(pages, heads)
        rank = _size_ranks(sizes, counts)
        defined = [rank[s] for s in sizes if counts[s] >= 2]
        bold_level = min(MAX_SIZE_LEVELS, max(defined, default=0) + 1)
        depths = [numbering_level(b.text) for b in heads]
        min_depth = min((d for d in depths if d), default=1)
        title = self._title(pages[0], heads, sizes) if pages else None
        for b in heads:
            b.type = BlockType.HEADING
            depth = numbering_level(b.text)
            size_level = rank.get(round(b.font_size * 2) / 2, bold_level)
            rel = depth - min_depth + 1 if depth else 0
            b.level = max(1, min(6, max(rel, size_level) if rel else size_level))
        if title is not None:
            title.type = BlockType.TITLE
            title.level = 0

    @staticmethod
    def _title(page: Page, heads: list[Block], sizes: list[float]) -> Block | None:
        """The first heading in the top third of the first page in the document's largest
        heading size, when that size is not used anywhere else (a stacked subtitle of the same
        size right below it may share it)."""
        if not sizes:
            return None
        first = page.body()
        top = [b for b in first if b in heads and round(b.font_size * 2) / 2 == sizes[0]
               and b.bbox.y0 < page.height / 3]
        if not top or numbering_level(top[0].text):
            return None
        same = [b for b in heads if round(b.font_size * 2) / 2 == sizes[0]]
        if len(same) == 1:
            return top[0]
        at = first.index(top[0])
        stacked = first[at:at + len(same)]
        return top[0] if all(b in same for b in stacked) and len(stacked) == len(same) else None
