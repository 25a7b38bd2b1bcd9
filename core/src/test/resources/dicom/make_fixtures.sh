#!/usr/bin/env bash
# Regenerates the DICOM test fixtures in this folder from tools that are not pdrecon:
# pydicom (make_fixtures.py), dcmtk's dump2dcm (from dcmtk_seq.dump) and img2dcm (from a BMP and a JPEG
# drawn with Pillow). Needs: python3-pydicom python3-numpy python3-pil dcmtk (Debian packages).
# The expected pixel values are stated in make_fixtures.py / dcmtk_seq.dump and checked by DicomInteropTest.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PY" make_fixtures.py .

# dcmtk: the same data set as implicit VR LE, explicit VR big endian (both with undefined-length
# sequences and items) and deflated explicit VR LE (which the codec must reject by name).
dump2dcm +ti -e dcmtk_seq.dump dcmtk_implicit_undef.dcm
dump2dcm +tb -e dcmtk_seq.dump dcmtk_big_endian.dcm
dump2dcm +td dcmtk_seq.dump dcmtk_deflated.dcm

# img2dcm: an 8-bit grey BMP (value = (7*r + 13*c) % 256, 5 rows x 6 columns) -> uncompressed
# Secondary Capture; the same picture as JPEG -> JPEG Baseline (encapsulated, must be rejected by name).
"$PY" - "$tmp" <<'PYEOF'
import sys
import numpy as np
from PIL import Image
r, c = np.mgrid[0:5, 0:6]
img = Image.fromarray(((7 * r + 13 * c) % 256).astype(np.uint8), mode="L")
img.save(sys.argv[1] + "/grey.bmp")
img.resize((16, 16)).save(sys.argv[1] + "/grey.jpg", quality=90)
PYEOF
img2dcm -i BMP -k "PatientName=Fixture^Img2dcm" -k "PatientID=PDRECON-IMG2DCM" "$tmp/grey.bmp" img2dcm_bmp.dcm
img2dcm -i JPEG -k "PatientName=Fixture^Img2dcm" -k "PatientID=PDRECON-IMG2DCM" "$tmp/grey.jpg" img2dcm_jpeg.dcm
ls -l ./*.dcm
