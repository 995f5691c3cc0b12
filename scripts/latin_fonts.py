"""Cimiento Sans: DejaVu Sans (regular and bold) cut to the Latin scripts documents are
written in (Spanish, Portuguese, Catalan, Galician, Basque, French, English…), for the PDF
renderer.

WeasyPrint subsets every font a document uses at every render, and DejaVu Sans's thousands
of glyphs and layout tables made that the largest part of rendering an invoice. The
documents' stylesheet asks for "Cimiento Sans" first and falls back to DejaVu Sans for
anything outside these ranges, so a name in another script still prints. The glyphs are
DejaVu's own (renamed, as its licence asks of modified versions).

Usage: latin_fonts.py <DejaVu fonts directory> <output directory>   (run by install.sh)
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

# Basic Latin, Latin-1, Latin Extended-A and -B, general punctuation, €, ₡ and other
# currency signs, №, ™, arrows, minus, bullet, and the replacement character.
UNICODES = [
    *range(0x0020, 0x007F), *range(0x00A0, 0x0250), *range(0x2010, 0x2028), *range(0x2030, 0x203B),
    0x2044, *range(0x20A0, 0x20C1), 0x2116, 0x2122, *range(0x2190, 0x2194), 0x2212, 0x25CF, 0xFFFD,
]
FONTS = {"DejaVuSans.ttf": "CimientoSans.ttf", "DejaVuSans-Bold.ttf": "CimientoSans-Bold.ttf"}
# Family, unique id, full name, PostScript name, typographic family and subfamily.
RENAMED_IDS = {1, 3, 4, 6, 16, 17}


def cut(source, target):
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in RENAMED_IDS:
            name = record.toUnicode().replace("DejaVu Sans", "Cimiento Sans").replace("DejaVuSans", "CimientoSans")
            record.string = name
    font.save(target)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source_dir, target_dir = sys.argv[1], sys.argv[2]
    for source, target in FONTS.items():
        path = os.path.join(source_dir, source)
        if not os.path.exists(path):
            sys.exit(f"{path} is missing (Debian package fonts-dejavu-core)")
        cut(path, os.path.join(target_dir, target))
        print(f"{target}: {len(TTFont(os.path.join(target_dir, target)).getGlyphOrder())} glyphs")


if __name__ == "__main__":
    main()
