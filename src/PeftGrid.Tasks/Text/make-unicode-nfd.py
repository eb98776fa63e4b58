"""Writes UnicodeNfd.txt: the data CanonicalDecomposition needs for Unicode NFD without ICU.

Run from this folder with the Python whose Unicode version Hugging Face's tokenizer should be matched
(`python3 make-unicode-nfd.py`); it records unicodedata.unidata_version in the header. Hangul
syllables (U+AC00..U+D7A3) decompose algorithmically in code and are not listed.
"""
import unicodedata

lines = [
    f"# Unicode {unicodedata.unidata_version} canonical decompositions (fully expanded, as NFD of the single",
    "# code point) and canonical combining classes, written by make-unicode-nfd.py from Python's unicodedata.",
    "# d CP CP...      code point and its decomposition (hex)",
    "# c FIRST LAST K  a range of code points with canonical combining class K (hex, hex, decimal)",
]
ranges = []
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    ch = chr(cp)
    if not 0xAC00 <= cp <= 0xD7A3:
        nfd = unicodedata.normalize("NFD", ch)
        if nfd != ch:
            lines.append("d " + " ".join(f"{ord(c):04X}" for c in [ch, *nfd]))
    k = unicodedata.combining(ch)
    if k:
        if ranges and ranges[-1][1] == cp - 1 and ranges[-1][2] == k:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp, k])
lines += [f"c {a:04X} {b:04X} {k}" for a, b, k in ranges]
with open("UnicodeNfd.txt", "w", encoding="ascii", newline="\n") as f:
    f.write("\n".join(lines) + "\n")
