# (b) bare warm WeasyPrint: one Python process, WeasyPrint imported once, renders the same
# HTML n times; prints one render time (ms) per line. Usage: warm.py <html file> <n>
import sys
import time

import weasyprint

html = open(sys.argv[1], encoding="utf-8").read()
n = int(sys.argv[2])
weasyprint.HTML(string=html).write_pdf()  # warm-up, as the api's workers are warm
for _ in range(n):
    t = time.perf_counter()
    weasyprint.HTML(string=html).write_pdf()
    print(f"{(time.perf_counter() - t) * 1000:.3f}", flush=True)
