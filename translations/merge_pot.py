"""Merge POT files (ours + Flask-AppBuilder's) into one template on stdout."""
import sys
from io import BytesIO

from babel.messages.pofile import read_po, write_po

merged = None
for path in sys.argv[1:]:
    with open(path, "rb") as fh:
        catalog = read_po(fh)
    if merged is None:
        merged = catalog
        continue
    for message in catalog:
        if message.id and message.id not in merged:
            merged[message.id] = message
out = BytesIO()
write_po(out, merged, sort_output=True, omit_header=False)
sys.stdout.write(out.getvalue().decode("utf-8"))
