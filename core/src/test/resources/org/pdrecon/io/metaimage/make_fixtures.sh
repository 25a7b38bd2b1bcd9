#!/bin/sh
# Regenerates the MetaImage interoperability fixtures with an independent writer (plastimatch 1.9.4,
# which writes through ITK). The source volume is written by numpy: 5×4×3 voxels (x, y, z), values
# 10·(x + 5y + 20z), spacing 1 1.5 2.5 mm, Offset -2 -3.5 10 mm.
set -e
cd "$(dirname "$0")"
python3 - <<'PY'
import numpy as np
nz, ny, nx = 3, 4, 5
v = (np.arange(nz * ny * nx, dtype=np.float32) * 10).reshape(nz, ny, nx)
hdr = f"""ObjectType = Image
NDims = 3
BinaryData = True
BinaryDataByteOrderMSB = False
Offset = -2 -3.5 10
ElementSpacing = 1 1.5 2.5
DimSize = {nx} {ny} {nz}
ElementType = MET_FLOAT
ElementDataFile = LOCAL
"""
open('numpy_float.mha', 'wb').write(hdr.encode() + v.astype('<f4').tobytes())
open('numpy_double_be.mha', 'wb').write(hdr.replace('MET_FLOAT', 'MET_DOUBLE')
    .replace('MSB = False', 'MSB = True').encode() + v.astype('>f8').tobytes())
PY
plastimatch convert --input numpy_float.mha --output-img itk_short.mha --output-type short > /dev/null
plastimatch convert --input numpy_float.mha --output-img itk_ushort.mhd --output-type ushort > /dev/null
