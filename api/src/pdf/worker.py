# A warm WeasyPrint: renders HTML documents sent on stdin, one after another, without
# starting Python (and importing WeasyPrint) per document.
#
# Protocol (binary, big-endian):
#   at start   b"R" + u32 length + WeasyPrint version (utf-8)
#   request    u32 length + HTML (utf-8)
#   response   b"\x00" + u32 length + PDF bytes      (rendered)
#              b"\x01" + u32 length + message (utf-8) (the document could not be rendered)
# The HTML comes from our templates; no resource outside it is ever fetched.
import struct
import sys

import weasyprint


def refuse_fetch(url, *args, **kwargs):
    raise ValueError("external resources are not allowed: " + url[:80])


def send(tag, payload):
    out.write(tag + struct.pack(">I", len(payload)) + payload)
    out.flush()


out = sys.stdout.buffer
inp = sys.stdin.buffer
# Warm for real documents, not only imported: the first render loads the fonts the
# documents use (regular and bold), Pango and fontconfig, which would otherwise be paid by
# the first document this worker renders.
weasyprint.HTML(
    string='<p style="font-family: \'Cimiento Sans\', \'DejaVu Sans\', sans-serif">Factura <b>Total 1.234,56 €</b></p>',
    url_fetcher=refuse_fetch,
).write_pdf()
send(b"R", weasyprint.__version__.encode())
while True:
    header = inp.read(4)
    if len(header) < 4:
        break
    (length,) = struct.unpack(">I", header)
    html = inp.read(length).decode("utf-8")
    try:
        pdf = weasyprint.HTML(string=html, url_fetcher=refuse_fetch).write_pdf()
        send(b"\x00", pdf)
    except Exception as e:  # noqa: BLE001 — every failure is reported to the api
        send(b"\x01", (type(e).__name__ + ": " + str(e))[:2000].encode())
