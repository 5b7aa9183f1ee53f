"""A minimal PDF writer for tests that need page-tree features reportlab does not write
(an inherited or indirect ``/Rotate``, fonts without ToUnicode, hand-made content streams)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawPdf:
    """Objects are added in order; ``build`` writes a correct xref table."""

    objects: list[bytes] = field(default_factory=list)

    def add(self, body: str | bytes) -> int:
        self.objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(self.objects)

    def reserve(self) -> int:
        return self.add(b"null")

    def set(self, num: int, body: str | bytes) -> None:
        self.objects[num - 1] = body.encode("latin-1") if isinstance(body, str) else body

    def stream(self, data: bytes, extra: str = "") -> int:
        return self.add(b"<< /Length %d %s >>\nstream\n" % (len(data), extra.encode()) + data + b"\nendstream")

    def build(self, root: int) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(self.objects) + 1, root, xref)
        return bytes(out)


def text_ops(lines: list[str], x: float, y: float, size: float = 12, matrix: str = "1 0 0 1",
             leading: float = 16) -> bytes:
    """Content-stream operators drawing ``lines`` in Helvetica (/F1), each ``leading`` below the
    last in the text's own frame; ``matrix`` is the a b c d part of the text matrix."""
    a, b, c, d = (float(v) for v in matrix.split())
    ops = [f"BT /F1 {size:g} Tf"]
    for i, line in enumerate(lines):
        # the next line sits ``leading`` below, in the direction perpendicular to the baseline
        tx, ty = x - c * leading * i, y - d * leading * i
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"{a:g} {b:g} {c:g} {d:g} {tx:.2f} {ty:.2f} Tm ({esc}) Tj")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def pages_pdf(contents: list[bytes], *, media: tuple[float, float] = (612, 792), rotate: int | None = None,
              rotate_on: str = "page", indirect_rotate: bool = False) -> bytes:
    """A PDF with one page per content stream, Helvetica as /F1.

    ``rotate_on`` is ``"page"`` (each page's own ``/Rotate``) or ``"tree"`` (inherited from the
    ``/Pages`` node); ``indirect_rotate`` writes the value as an indirect object.
    """
    pdf = RawPdf()
    catalog = pdf.reserve()
    tree = pdf.reserve()
    font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    rot = ""
    if rotate is not None:
        rot = f"/Rotate {pdf.add(str(rotate))} 0 R" if indirect_rotate else f"/Rotate {rotate}"
    kids = []
    for data in contents:
        content = pdf.stream(data)
        own = rot if rotate_on == "page" else ""
        kids.append(pdf.add(
            f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {media[0]:g} {media[1]:g}] {own} "
            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
        ))
    inherited = rot if rotate_on == "tree" else ""
    pdf.set(tree, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} {inherited} >>")
    pdf.set(catalog, f"<< /Type /Catalog /Pages {tree} 0 R >>")
    return pdf.build(catalog)


def garbled_font_pdf(
    garbled: list[str], readable: list[str], size: float = 14, named: bool = False, blank: bool = False,
    latin1: bool = False, line_break_code: str = "",
) -> bytes:
    """A page whose ``garbled`` lines are set in a Type 3 font without ToUnicode whose glyphs
    are drawn from Helvetica and coded 1, 2, 3 ... in order of first use (text extraction gives
    control characters, the page shows the words), followed by ``readable`` lines in Helvetica.
    With ``named``, the glyphs keep their own codes and carry their standard names (/one, /A):
    extraction reads the right text, though the font has no ToUnicode map. With ``blank``, the
    glyph procedures draw nothing (the page shows no ink where the text is). With ``latin1``, the
    glyphs are coded from 0xC0 on, named after those Latin-1 letters (/Agrave, /Aacute ...) and
    mapped to them by a ToUnicode CMap: extraction reads mojibake ("ÀÁÂ") with no map error,
    the page shows the words. With ``named``, the letter ``line_break_code`` is coded 13 and
    named /g13 instead: extraction gets a carriage return for it."""
    codes: dict[str, int] = {}
    for line in garbled:
        for ch in line:
            if ch != " ":
                codes.setdefault(ch, 0xC0 + len(codes) if latin1 else 13 if ch in line_break_code and named
                                 else ord(ch) if named else len(codes) + 1)
    named = named or latin1
    pdf = RawPdf()
    catalog, tree = pdf.reserve(), pdf.reserve()
    helv = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    from reportlab.pdfbase.pdfmetrics import stringWidth

    procs, widths = [], []
    for ch in codes:
        w = stringWidth(ch, "Helvetica", 1000)
        esc = ch.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        draw = "" if blank else f" BT /H 1000 Tf 0 0 Td ({esc}) Tj ET"
        procs.append(pdf.stream(f"{w:.0f} 0 d0{draw}".encode("latin-1")))
        widths.append(f"{w:.0f}")
    space = pdf.stream(b"278 0 d0")
    if named:
        from reportlab.pdfbase.pdfmetrics import getEncoding

        glyph = {ch: getEncoding("WinAnsiEncoding").vector[code] if code >= 32 else f"g{code}"
                 for ch, code in codes.items()}
        names = " ".join(f"{code} /{glyph[ch]}" for ch, code in sorted(codes.items(), key=lambda kv: kv[1]))
        charprocs = " ".join(f"/{glyph[ch]} {p} 0 R" for ch, p in zip(codes, procs, strict=True))
        by_code = {code: w for code, w in zip(codes.values(), widths, strict=True)}
        first = min([32, *codes.values()])
        all_w = " ".join(by_code.get(k, "278" if k == 32 else "0") for k in range(first, 256))
        to_unicode = ""
        if latin1:  # a ToUnicode map that says what the codes say: the Latin-1 letters
            pairs = "\n".join(f"<{code:02X}> <{code:04X}>" for code in sorted(codes.values()))
            cmap = (f"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /L1 def"
                    f" 1 begincodespacerange <00> <FF> endcodespacerange {len(codes)} beginbfchar\n{pairs}\n"
                    f"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
            to_unicode = f" /ToUnicode {pdf.stream(cmap.encode('ascii'))} 0 R"
        t3 = pdf.add(
            f"<< /Type /Font /Subtype /Type3 /FontBBox [0 -250 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0]"
            f" /CharProcs << {charprocs} /space {space} 0 R >> /Encoding << /Type /Encoding"
            f" /Differences [32 /space {names}] >> /FirstChar {first} /LastChar 255 /Widths [{all_w}]"
            f" /Resources << /Font << /H {helv} 0 R >> >>{to_unicode} >>"
        )
    else:
        names = " ".join(f"/g{i}" for i in range(1, len(codes) + 1))
        charprocs = " ".join(f"/g{i} {p} 0 R" for i, p in enumerate(procs, start=1))
        n = len(codes)
        t3 = pdf.add(
            f"<< /Type /Font /Subtype /Type3 /FontBBox [0 -250 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0]"
            f" /CharProcs << {charprocs} /sp {space} 0 R >> /Encoding << /Type /Encoding"
            f" /Differences [1 {names} 32 /sp] >>"
            f" /FirstChar 1 /LastChar 32 /Widths [{' '.join(widths)} {' '.join(['0'] * (31 - n))} 278]"
            f" /Resources << /Font << /H {helv} 0 R >> >> >>"
        )
    ops = ["BT"]
    y = 740.0
    for line in garbled:
        coded = "".join(" " if ch == " " else f"\\{codes[ch]:03o}" for ch in line)
        ops.append(f"/T3 {size:g} Tf 1 0 0 1 72 {y:.1f} Tm ({coded}) Tj")
        y -= size * 1.6
    for line in readable:
        ops.append(f"/F1 {size:g} Tf 1 0 0 1 72 {y:.1f} Tm ({line}) Tj")
        y -= size * 1.6
    return _t3_page(pdf, (catalog, tree, helv, t3), ops)


def scaled_type3_pdf(lines: list[tuple[str, float]], flip: bool = False, tf: float = 0.1) -> bytes:
    """A page of ``(text, type size)`` lines in one Type 3 font per size, the way bitmap-font
    TeX output writes them: the scale sits in the font matrix and the ``Tf`` size is ``tf``
    (0.1), so the size pdfium reports means nothing. With ``flip``, font matrix and text matrix
    both turn y over (the glyphs still stand upright) and the font's ascent comes out negative:
    pdfium's character boxes then reach a hundred points past the glyphs. Glyphs are drawn from
    Helvetica and carry their standard names, so extraction reads the right letters. Each word
    is placed on its own, with no space glyph between words."""
    from reportlab.pdfbase.pdfmetrics import getEncoding, stringWidth

    vector = getEncoding("WinAnsiEncoding").vector
    used = sorted({ch for text, _ in lines for ch in text if ch != " "})
    pdf = RawPdf()
    catalog, tree = pdf.reserve(), pdf.reserve()
    helv = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    procs = {}
    for ch in used:
        esc = ch.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        w = stringWidth(ch, "Helvetica", 1000)
        procs[ch] = pdf.stream(f"{w:.0f} 0 d0 BT /H 1000 Tf 0 0 Td ({esc}) Tj ET".encode("latin-1"))
    space = pdf.stream(b"278 0 d0")
    names = " ".join(f"{ord(ch)} /{vector[ord(ch)]}" for ch in used)
    charprocs = " ".join(f"/{vector[ord(ch)]} {procs[ch]} 0 R" for ch in used)
    widths = " ".join(
        "278" if k == 32 else f"{stringWidth(chr(k), 'Helvetica', 1000):.0f}" if chr(k) in procs else "0"
        for k in range(32, 256)
    )
    fonts: dict[float, int] = {}
    for _, size in lines:
        if size not in fonts:
            scale = size / tf / 1000
            d = -scale if flip else scale
            bbox = "[0 -250 1000 1000]" if not flip else "[0 -250 1000 8000]"
            fonts[size] = pdf.add(
                f"<< /Type /Font /Subtype /Type3 /FontBBox {bbox} /FontMatrix [{scale:g} 0 0 {d:g} 0 0]"
                f" /CharProcs << {charprocs} /space {space} 0 R >> /Encoding << /Type /Encoding"
                f" /Differences [32 /space {names}] >> /FirstChar 32 /LastChar 255 /Widths [{widths}]"
                f" /Resources << /Font << /H {helv} 0 R >> >> >>"
            )
    ops = ["BT"]
    y = 740.0
    for text, size in lines:
        # each word placed on its own, as TeX's bitmap-font output does: no space glyphs
        ops.append(f"/T{list(fonts).index(size)} {tf:g} Tf")
        x = 72.0
        for word in text.split():
            esc = word.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"1 0 0 {-1 if flip else 1} {x:.2f} {y:.1f} Tm ({esc}) Tj")
            x += stringWidth(word + " ", "Helvetica", size)
        y -= size * 1.5
    ops.append("ET")
    content = pdf.stream("\n".join(ops).encode("latin-1"))
    res = " ".join(f"/T{i} {num} 0 R" for i, num in enumerate(fonts.values()))
    page = pdf.add(f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 612 792] /Resources << /Font << {res} >> >>"
                   f" /Contents {content} 0 R >>")
    pdf.set(tree, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    pdf.set(catalog, f"<< /Type /Catalog /Pages {tree} 0 R >>")
    return pdf.build(catalog)


def picture_font_pdf(before: list[str], tiles: list[int], after: list[str], size: float = 10) -> bytes:
    """Helvetica lines ``before`` and ``after`` a picture drawn with a Type 3 font, the way some
    TeX figure tools tile hatching: glyphs named /X00 and /X01 (no Unicode map), coded 33 and
    34 so that extraction reads ``!`` and ``"``. /X01 fills a square; /X00 declares a bounding
    box fifty times its advance and fills it (pdfium's boxes for it are that wide). ``tiles``
    gives how many glyphs each row of the picture has."""
    pdf = RawPdf()
    catalog, tree = pdf.reserve(), pdf.reserve()
    helv = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    square = pdf.stream(b"1 0 0 0 1 1 d1 0 0 1 1 re f")
    wide = pdf.stream(b"1 0 -25 -25 25 1 d1 -25 -25 50 26 re 0.2 0.2 0.6 0.6 re f*")
    t3 = pdf.add(
        f"<< /Type /Font /Subtype /Type3 /FontBBox [-25 -25 25 1] /FontMatrix [1 0 0 1 0 0]"
        f" /CharProcs << /X00 {wide} 0 R /X01 {square} 0 R >> /Encoding << /Type /Encoding"
        f" /Differences [33 /X01 /X00] >> /FirstChar 33 /LastChar 34 /Widths [1 1] /Resources << >> >>"
    )
    ops = ["BT"]
    y = 740.0
    for line in before:
        ops.append(f"/F1 {size:g} Tf 1 0 0 1 72 {y:.1f} Tm ({line}) Tj")
        y -= size * 1.5
    y -= size
    for i, n in enumerate(tiles):
        codes = "".join("\\042" if (k + i) % 3 == 0 else "\\041" for k in range(n))
        ops.append(f"/T3 {size:g} Tf 1 0 0 1 200 {y:.1f} Tm ({codes}) Tj")
        y -= size
    y -= size
    for line in after:
        ops.append(f"/F1 {size:g} Tf 1 0 0 1 72 {y:.1f} Tm ({line}) Tj")
        y -= size * 1.5
    return _t3_page(pdf, (catalog, tree, helv, t3), ops)


def _t3_page(pdf: RawPdf, objs: tuple[int, int, int, int], ops: list[str]) -> bytes:
    """One Letter page of ``ops`` (text opened with BT), Helvetica as /F1 and a Type 3 font as
    /T3; ``objs`` are the catalog, page tree, Helvetica and Type 3 font objects."""
    catalog, tree, helv, t3 = objs
    content = pdf.stream("\n".join([*ops, "ET"]).encode("latin-1"))
    page = pdf.add(f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 {helv}"
                   f" 0 R /T3 {t3} 0 R >> >> /Contents {content} 0 R >>")
    pdf.set(tree, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    pdf.set(catalog, f"<< /Type /Catalog /Pages {tree} 0 R >>")
    return pdf.build(catalog)
