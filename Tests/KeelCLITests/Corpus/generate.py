#!/usr/bin/env python3
"""Writes the bad-input corpus that BadInputTests.swift feeds to `keel`.

Every file comes from the valid 8x8 digits in Data/ and differs from a valid file by one defect,
which its name says. The base checkpoint, checkpoint/valid.safetensors, is written by the current
`keel train logreg --epochs 1` on the reference backend (scalar loops, the same numbers on every
machine), with the wall-clock seconds in its history set to 0 and its checksum recomputed, so
running this again rewrites every file byte for byte. Each checkpoint derived from it that Keel
can still decode carries the checksum of its own contents, so that it tests its defect and not the
checksum; checkpoint/checksum-mismatch.safetensors is the one whose checksum is wrong.

The files were written from the public formats (IDX as LeCun describes it, RFC 4180 CSV, RFC 1951
and 1952 gzip/DEFLATE, safetensors) and Keel's user documentation, not from Keel's parsers.

Usage: python3 Tests/KeelCLITests/Corpus/generate.py [--keel .build/debug/keel]
"""

import argparse
import gzip
import json
import pathlib
import re
import shutil
import struct
import subprocess
import tempfile
import zlib

CORPUS = pathlib.Path(__file__).resolve().parent
DATA = CORPUS.parents[2] / "Data"


def write(relative, content):
    path = CORPUS / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)


def read_idx(name):
    """Returns (type code, dimensions, data) of one of Data/'s gzip-compressed IDX files."""
    raw = gzip.decompress((DATA / name).read_bytes())
    type_code, rank = raw[2], raw[3]
    dimensions = list(struct.unpack(">%dI" % rank, raw[4:4 + 4 * rank]))
    return type_code, dimensions, raw[4 + 4 * rank:]


def idx(type_code, dimensions, data=b""):
    return bytes([0, 0, type_code, len(dimensions)]) + struct.pack(">%dI" % len(dimensions), *dimensions) + data


def deterministic_gzip(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


GZIP_HEADER = bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF])  # deflate, no flags, no time, unknown OS


def gzip_member(deflate_stream, content=b""):
    return GZIP_HEADER + deflate_stream + struct.pack("<II", zlib.crc32(content), len(content))


def far_back_reference():
    """A fixed-Huffman block whose first symbol copies from before the start of the output."""
    bits = []

    def huffman(code, width):  # Huffman codes go most significant bit first
        bits.extend((code >> i) & 1 for i in reversed(range(width)))

    bits += [1, 1, 0]          # BFINAL = 1, BTYPE = 01 (fixed Huffman), fields least significant bit first
    huffman(0b0000001, 7)      # length symbol 257: length 3
    huffman(0b00000, 5)        # distance symbol 0: distance 1, but nothing has been written yet
    huffman(0b0000000, 7)      # end of block
    bits += [0] * (-len(bits) % 8)
    return bytes(sum(bit << i for i, bit in enumerate(bits[n:n + 8])) for n in range(0, len(bits), 8))


def write_idx_corpus():
    _, _, pixels = read_idx("digits8x8-images-idx3-ubyte.gz")
    _, _, labels = read_idx("digits8x8-labels-idx1-ubyte.gz")
    count, size = 100, 64
    images = idx(0x08, [count, 8, 8], pixels[:count * size])
    label_file = idx(0x08, [count], labels[:count])
    compressed = deterministic_gzip(images)

    # Valid files: the controls, and the partners of the broken files.
    write("idx/images-idx3-ubyte", images)
    write("idx/labels-idx1-ubyte", label_file)
    write("idx/images-idx3-ubyte.gz", compressed)
    write("idx/plain-despite-gz-name.gz", images)  # gzip is told by its magic bytes, not the name
    write("idx/mnist-incomplete/train-images-idx3-ubyte", images)  # a test set of images without their labels
    write("idx/mnist-incomplete/train-labels-idx1-ubyte", label_file)
    write("idx/mnist-incomplete/t10k-images-idx3-ubyte", images)

    # The header.
    write("idx/empty.idx", b"")
    write("idx/truncated-header.idx", images[:6])
    write("idx/magic-only.idx", images[:4])
    write("idx/wrong-magic.idx", b"\x12\x34" + images[2:])
    write("idx/unknown-type.idx", images[:2] + b"\x07" + images[3:])
    write("idx/rank-beyond-header.idx", images[:3] + b"\xff" + images[4:16])
    write("idx/zero-rank.idx", idx(0x08, [], b"\x05"))
    write("idx/zero-dimension.idx", idx(0x08, [count, 0, 8]))
    write("idx/zero-count-images.idx", idx(0x08, [0, 8, 8]))
    write("idx/zero-count-labels.idx", idx(0x08, [0]))
    # 2^48 bytes (256 TiB) promised, 6,400 present: refuse before allocating.
    write("idx/huge-dimensions.idx", idx(0x08, [65536, 65536, 65536], pixels[:count * size]))
    # (2^32 - 1)^3 elements: the product overflows a 64-bit integer.
    write("idx/overflowing-dimensions.idx", idx(0x08, [0xFFFFFFFF] * 3, pixels[:count * size]))
    # 2^31 * 2^31 * 4 = 2^64, which wraps to 0 in 64-bit arithmetic: matches the empty data.
    write("idx/wrapping-dimensions.idx", idx(0x08, [1 << 31, 1 << 31, 4]))
    # 2^31 * 2^31 f32 values = 2^64 bytes, which wraps to 0.
    write("idx/wrapping-byte-count.idx", idx(0x0D, [1 << 31, 1 << 31]))

    # The data.
    write("idx/truncated-data.idx", images[:16 + 3000])
    write("idx/more-promised-than-present.idx", idx(0x08, [1000, 8, 8], pixels[:count * size]))
    write("idx/trailing-bytes.idx", images + b"\x00" * 10)
    write("idx/nan-pixels.idx", idx(0x0D, [count, 8, 8], struct.pack(">f", float("nan")) + struct.pack(">%df" % (count * size - 1), *pixels[1:count * size])))
    write("idx/infinite-pixels.idx", idx(0x0D, [count, 8, 8], struct.pack(">f", float("inf")) + struct.pack(">%df" % (count * size - 1), *pixels[1:count * size])))
    write("idx/labels-count-mismatch.idx", idx(0x08, [60], labels[:60]))
    write("idx/labels-fractional.idx", idx(0x0D, [count], struct.pack(">f", 0.5) + struct.pack(">%df" % (count - 1), *labels[1:count])))
    write("idx/labels-negative.idx", idx(0x09, [count], b"\xff" + labels[1:count]))  # valid: label -1 is a class of its own
    write("idx/labels-unknown-class.idx", idx(0x08, [count], bytes([250]) + labels[1:count]))  # a class the base model lacks
    write("idx/labels-huge.idx", idx(0x0C, [count], struct.pack(">%di" % count, 1 << 24, *labels[1:count])))

    # gzip and DEFLATE.
    write("idx/bad-crc.gz", compressed[:-8] + bytes(b ^ 0xFF for b in compressed[-8:-4]) + compressed[-4:])
    write("idx/bad-length.gz", compressed[:-4] + struct.pack("<I", len(images) + 1))
    write("idx/truncated.gz", compressed[:len(compressed) // 2])
    write("idx/truncated-trailer.gz", compressed[:-4])
    write("idx/corrupt-deflate.gz", compressed[:40] + bytes(b ^ 0x5A for b in compressed[40:60]) + compressed[60:])
    write("idx/not-gzip.gz", "this is not gzip, nor IDX\n")
    write("idx/gzip-magic-only.gz", b"\x1f\x8b")
    write("idx/gzip-unknown-method.gz", compressed[:2] + b"\x07" + compressed[3:])
    write("idx/gzip-reserved-flags.gz", compressed[:3] + b"\xe0" + compressed[4:])
    write("idx/gzip-extra-field-beyond-file.gz", GZIP_HEADER[:3] + b"\x04" + GZIP_HEADER[4:] + b"\xff\xff" + b"\x00" * 8)
    write("idx/deflate-reserved-block-type.gz", gzip_member(b"\x07\x00\x00"))
    write("idx/deflate-stored-length-mismatch.gz", gzip_member(b"\x01\x04\x00\x00\x00abcd", b"abcd"))
    write("idx/deflate-stored-length-beyond-file.gz", gzip_member(b"\x01\xff\xff\x00\x00abcd"))
    write("idx/deflate-distance-too-far-back.gz", gzip_member(far_back_reference()))
    write("idx/gzip-of-text.gz", deterministic_gzip(b"hello, world\n"))
    write("idx/second-member-truncated.gz", compressed + compressed[:20])


def csv_rows(rows, line_end="\n"):
    return "".join(",".join(str(cell) for cell in row) + line_end for row in rows)


def write_csv_corpus():
    _, _, pixels = read_idx("digits8x8-images-idx3-ubyte.gz")
    _, _, labels = read_idx("digits8x8-labels-idx1-ubyte.gz")

    # Training files: 8 features (the middle rows' pixels) and the label, 40 examples.
    header = ["x%d" % i for i in range(8)] + ["label"]
    rows = [list(pixels[n * 64 + 24:n * 64 + 32]) + [labels[n]] for n in range(40)]

    def with_cell(row, column, value):
        changed = [list(r) for r in rows]
        changed[row][column] = value
        return csv_rows([header] + changed)

    valid = csv_rows([header] + rows)
    write("csv/train.csv", valid)
    write("csv/train-crlf.csv", csv_rows([header] + rows, "\r\n"))
    write("csv/train-bom.csv", "\ufeff" + valid)

    write("csv/empty.csv", "")
    write("csv/blank-lines.csv", "\n\n\n")
    write("csv/header-only.csv", csv_rows([header]))
    write("csv/ragged-short-row.csv", csv_rows([header] + rows[:5] + [rows[5][:-2] + rows[5][-1:]] + rows[6:]))
    write("csv/ragged-long-row.csv", csv_rows([header] + rows[:5] + [rows[5] + [3]] + rows[6:]))
    write("csv/text-cell.csv", with_cell(5, 2, "abc"))
    write("csv/nan-cell.csv", with_cell(5, 2, "NaN"))
    write("csv/inf-cell.csv", with_cell(5, 2, "inf"))
    write("csv/minus-inf-cell.csv", with_cell(5, 2, "-inf"))
    write("csv/overflowing-cell.csv", with_cell(5, 2, "1e999"))
    write("csv/label-negative.csv", with_cell(5, 8, -1))
    write("csv/label-fractional.csv", with_cell(5, 8, 2.5))
    write("csv/label-huge.csv", with_cell(5, 8, 1000000000))
    write("csv/label-beyond-int.csv", with_cell(5, 8, "1e30"))
    write("csv/label-text.csv", with_cell(5, 8, "seven"))
    write("csv/label-nan.csv", with_cell(5, 8, "nan"))
    write("csv/one-class.csv", csv_rows([header] + [row[:-1] + [0] for row in rows]))
    write("csv/single-column.csv", csv_rows([["label"]] + [[row[-1]] for row in rows]))
    write("csv/unterminated-quote.csv", csv_rows([header] + rows[:5]) + '"' + csv_rows(rows[5:]))
    write("csv/quote-inside-cell.csv", with_cell(5, 2, '1"2'))
    write("csv/nul-byte.csv", with_cell(5, 2, "1\x002"))
    write("csv/binary.csv", idx(0x08, [40, 8, 8], pixels[:40 * 64]))  # NUL bytes, invalid UTF-8

    # Prediction inputs for the digits checkpoint: 64 features, no label, 5 examples.
    pixel_header = ["p%d" % i for i in range(64)]
    features = [list(pixels[n * 64:(n + 1) * 64]) for n in range(5)]

    def features_with_cell(value):
        changed = [list(r) for r in features]
        changed[2][10] = value
        return csv_rows([pixel_header] + changed)

    write("csv/features.csv", csv_rows([pixel_header] + features))
    write("csv/features-crlf.csv", csv_rows([pixel_header] + features, "\r\n"))
    write("csv/features-bom-no-header.csv", "\ufeff" + csv_rows(features))
    write("csv/features-header-only.csv", csv_rows([pixel_header]))
    write("csv/features-ragged.csv", csv_rows([pixel_header] + features[:2] + [features[2][:-1]] + features[3:]))
    write("csv/features-text.csv", features_with_cell("abc"))
    write("csv/features-nan.csv", features_with_cell("nan"))
    write("csv/features-inf.csv", features_with_cell("inf"))
    write("csv/features-63-columns.csv", csv_rows([pixel_header[:-1]] + [row[:-1] for row in features]))
    write("csv/features-unterminated-quote.csv", csv_rows([pixel_header] + features[:2]) + '"' + csv_rows(features[2:]))


def parse_safetensors(content):
    """Returns (metadata, {name: (dtype, shape, bytes)}) of a safetensors file."""
    length = struct.unpack("<Q", content[:8])[0]
    header = json.loads(content[8:8 + length])
    data = content[8 + length:]
    metadata = header.pop("__metadata__", {})
    tensors = {name: (entry["dtype"], entry["shape"], data[entry["data_offsets"][0]:entry["data_offsets"][1]])
               for name, entry in header.items()}
    return metadata, tensors


def header_bytes(header):
    text = json.dumps(header, separators=(",", ":")).encode() if not isinstance(header, bytes) else header
    return text + b" " * (-len(text) % 8)


def safetensors(header, data):
    """A file from a header (a JSON value, or raw bytes) and the data after it."""
    text = header_bytes(header)
    return struct.pack("<Q", len(text)) + text + data


def laid_out(metadata, tensors):
    """(header, data) with the tensors back to back in name order, as a writer lays them out."""
    header, data = {"__metadata__": metadata}, b""
    for name in sorted(tensors):
        dtype, shape, values = tensors[name]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(values)]}
        data += values
    return header, data


def json_string(text):
    """A JSON string literal escaped as the safetensors format's canonical writer escapes it (UTF-8 left as it is)."""
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return '"' + "".join(escapes.get(c) or ("\\u%04x" % ord(c) if ord(c) < 0x20 else c) for c in text) + '"'


def canonical(metadata, tensors):
    """The bytes Keel writes for these contents: metadata first with its keys sorted, then F32 tensors in name order."""
    entries, data = [], b""
    if metadata:
        entries.append('"__metadata__":{%s}' % ",".join(json_string(k) + ":" + json_string(metadata[k]) for k in sorted(metadata)))
    for name in sorted(tensors):
        _, shape, values = tensors[name]
        entries.append('%s:{"dtype":"F32","shape":[%s],"data_offsets":[%d,%d]}'
                       % (json_string(name), ",".join(map(str, shape)), len(data), len(data) + len(values)))
        data += values
    return safetensors(("{%s}" % ",".join(entries)).encode(), data)


def checksummed(metadata, tensors):
    """`metadata` with the checksum Keel records: the CRC-32 of the canonical file without a checksum entry."""
    unchecked = {key: value for key, value in metadata.items() if key != "checksum"}
    return dict(metadata, checksum="crc32:%08x" % zlib.crc32(canonical(unchecked, tensors)))


def decoded(header, data):
    """(metadata, tensors) as Keel decodes the file of `header` and `data`, or None when Keel refuses the file."""
    if not isinstance(header, dict) or not isinstance(header.get("__metadata__", {}), dict):
        return None
    metadata = header.get("__metadata__", {})
    if not all(isinstance(value, str) for value in metadata.values()):
        return None
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if not isinstance(entry, dict) or entry.get("dtype") != "F32":
            return None
        shape, offsets = entry.get("shape"), entry.get("data_offsets")
        if not isinstance(shape, list) or not all(type(d) is int and d >= 0 for d in shape):
            return None
        if not isinstance(offsets, list) or len(offsets) != 2 or not all(type(o) is int for o in offsets):
            return None
        start, end = offsets
        count = 1
        for dimension in shape:
            count *= dimension
        if not 0 <= start <= end <= len(data) or end - start != 4 * count:
            return None
        tensors[name] = ("F32", shape, data[start:end])
    return metadata, tensors


def with_own_checksum(header, data):
    """`header` with the checksum of its own contents, when Keel can decode the file at all."""
    contents = decoded(header, data)
    if contents is None:
        return header
    return dict(header, __metadata__=checksummed(*contents))


def write_base_checkpoint(keel, base):
    """Trains the base checkpoint with `keel`, sets its history's wall-clock seconds to 0 and recomputes its checksum."""
    with tempfile.TemporaryDirectory() as directory:
        trained = pathlib.Path(directory) / "valid.safetensors"
        subprocess.run([keel, "train", "logreg", "--epochs", "1", "--backend", "reference", "--seed", "0", "--quiet",
                        "--save", str(trained)], check=True, stdout=subprocess.DEVNULL)
        metadata, tensors = parse_safetensors(trained.read_bytes())
    metadata["training.history"] = re.sub(r'"seconds":[-+.0-9eE]+', '"seconds":0', metadata["training.history"])
    base.parent.mkdir(parents=True, exist_ok=True)
    base.write_bytes(canonical(checksummed(metadata, tensors), tensors))


def write_checkpoint_corpus(keel):
    base = CORPUS / "checkpoint/valid.safetensors"
    write_base_checkpoint(keel, base)
    content = base.read_bytes()
    metadata, tensors = parse_safetensors(content)
    header, data = laid_out(metadata, tensors)
    assert safetensors(header, data) == content, "the base checkpoint is not laid out as expected"
    assert checksummed(metadata, tensors) == metadata, "the base checkpoint's checksum is not recomputed as Keel computes it"

    def edited_header(edit):
        changed = json.loads(json.dumps(header))
        edit(changed)
        return with_own_checksum(changed, data)

    def with_header(name, edit):
        write("checkpoint/%s.safetensors" % name, safetensors(edited_header(edit), data))

    def with_metadata(name, edit):
        def edit_metadata(h):
            edit(h["__metadata__"])
        with_header(name, edit_metadata)

    def with_tensors(name, edit):
        changed_tensors = dict(tensors)
        edit(changed_tensors)
        changed_header, changed_data = laid_out(metadata, changed_tensors)
        write("checkpoint/%s.safetensors" % name, safetensors(with_own_checksum(changed_header, changed_data), changed_data))

    def with_length(name, length):
        write("checkpoint/%s.safetensors" % name, struct.pack("<Q", length) + content[8:])

    length = struct.unpack("<Q", content[:8])[0]

    # The file and its header length.
    write("checkpoint/empty.safetensors", b"")
    write("checkpoint/shorter-than-length.safetensors", content[:5])
    with_length("header-length-beyond-file", len(content) + 100)
    with_length("header-length-zero", 0)
    with_length("header-length-2-pow-63", 1 << 63)
    with_length("header-length-max", (1 << 64) - 1)
    with_length("header-length-cuts-json", length - 16)
    write("checkpoint/truncated-in-header.safetensors", content[:100])
    write("checkpoint/truncated-in-data.safetensors", content[:len(content) // 2 + 400])
    write("checkpoint/truncated-by-one-byte.safetensors", content[:-1])
    write("checkpoint/trailing-bytes.safetensors", content + b"\x00" * 8)
    # The lowest bit of the last value flipped: a valid file whose contents no longer match its checksum.
    write("checkpoint/checksum-mismatch.safetensors", content[:-4] + bytes([content[-4] ^ 1]) + content[-3:])

    # The JSON.
    write("checkpoint/invalid-json.safetensors", safetensors(b"{not json}", data))
    write("checkpoint/json-array.safetensors", safetensors([1, 2, 3], data))
    write("checkpoint/json-string.safetensors", safetensors("hello", data))
    write("checkpoint/json-null.safetensors", safetensors(None, data))
    write("checkpoint/json-trailing-garbage.safetensors", safetensors(header_bytes(header).rstrip() + b" xyz", data))
    duplicated = header_bytes(header).rstrip()
    duplicated = duplicated[:-1] + b',"0.bias":' + json.dumps(header["0.bias"], separators=(",", ":")).encode() + b"}"
    write("checkpoint/json-duplicate-key.safetensors", safetensors(duplicated, data))
    write("checkpoint/json-invalid-utf8.safetensors",
          safetensors(header_bytes(header).replace(b'"keel-checkpoint"', b'"keel-\xff\xfe"'), data))
    write("checkpoint/json-deeply-nested.safetensors", safetensors(b'{"x":' + b"[" * 100000, data))

    # Each tensor's entry.
    with_header("entry-not-object", lambda h: h.update({"0.bias": 5}))
    with_header("missing-dtype", lambda h: h["0.weight"].pop("dtype"))
    with_header("missing-shape", lambda h: h["0.weight"].pop("shape"))
    with_header("missing-data-offsets", lambda h: h["0.weight"].pop("data_offsets"))
    with_header("unknown-dtype", lambda h: h["0.bias"].update(dtype="F128"))
    with_header("dtype-not-string", lambda h: h["0.bias"].update(dtype=5))
    with_tensors("unsupported-dtype-f16", lambda t: t.update({"0.bias": ("F16", [20], t["0.bias"][2])}))
    with_header("negative-shape", lambda h: h["0.weight"].update(shape=[-64, 10]))
    with_header("negative-shape-pair", lambda h: h["0.weight"].update(shape=[-64, -10]))  # product is 640
    with_header("fractional-shape", lambda h: h["0.weight"].update(shape=[64.5, 10]))
    with_header("shape-not-array", lambda h: h["0.weight"].update(shape="64x10"))
    # 2^62 * 4 F32 values = 2^66 bytes, which wraps to 0 in 64-bit arithmetic: matches an empty span.
    with_header("shape-overflow", lambda h: h.update({"zz.extra": {"dtype": "F32", "shape": [1 << 62, 4],
                                                                   "data_offsets": [len(data), len(data)]}}))
    with_header("offsets-beyond-data", lambda h: h["optimizer.0.weight.1"].update(data_offsets=[5240, len(data) + 4]))
    with_header("offsets-reversed", lambda h: h["0.bias"].update(data_offsets=[40, 0]))
    with_header("offsets-negative", lambda h: h["0.bias"].update(data_offsets=[-40, 0]))
    with_header("offsets-beyond-int64", lambda h: h["0.bias"].update(data_offsets=[0, 1 << 64]))
    with_header("offsets-one-number", lambda h: h["0.bias"].update(data_offsets=[0]))
    with_header("offsets-overlap", lambda h: h["optimizer.0.bias.1"].update(data_offsets=[2600, 2640]))
    with_header("offsets-size-mismatch", lambda h: h["0.bias"].update(shape=[11]))

    # The metadata.
    with_metadata("metadata-not-strings", lambda m: m.update(version=1))
    with_header("metadata-not-object", lambda h: h.update({"__metadata__": ["keel-checkpoint"]}))
    with_metadata("metadata-nested-object", lambda m: m.update({"model.configuration": json.loads(m["model.configuration"])}))
    with_metadata("format-other", lambda m: m.update(format="pytorch"))
    with_metadata("format-missing", lambda m: m.pop("format"))
    with_metadata("version-future", lambda m: m.update(version="2"))
    with_metadata("version-text", lambda m: m.update(version="one"))
    with_metadata("kind-unknown", lambda m: m.update({"model.kind": "transformer"}))
    with_metadata("kind-missing", lambda m: m.pop("model.kind"))
    with_metadata("kind-mismatching-configuration", lambda m: m.update({"model.kind": "lenet"}))
    with_metadata("configuration-missing", lambda m: m.pop("model.configuration"))
    with_metadata("configuration-invalid-json", lambda m: m.update({"model.configuration": "{"}))

    def layer_sizes(sizes):
        def edit(m):
            configuration = json.loads(m["model.configuration"])
            configuration["layerSizes"] = sizes
            m["model.configuration"] = json.dumps(configuration, separators=(",", ":"), sort_keys=True)
        return edit

    with_metadata("configuration-negative-width", layer_sizes([64, -10]))
    with_metadata("configuration-zero-width", layer_sizes([64, 0]))
    with_metadata("configuration-huge-width", layer_sizes([64, 100000000000, 10]))  # a hidden layer of 6.4e12 weights (25.6 TB)
    with_metadata("data-spec-unknown", lambda m: m.update({"data.spec": "bogus"}))
    with_metadata("data-spec-missing-files",
                  lambda m: m.update({"data.spec": "idx:/nonexistent-keel-corpus/images,/nonexistent-keel-corpus/labels"}))
    with_metadata("data-test-fraction-above-one", lambda m: m.update({"data.test-fraction": "1.5"}))
    with_metadata("data-test-fraction-nan", lambda m: m.update({"data.test-fraction": "nan"}))
    with_metadata("data-scaling-unknown", lambda m: m.update({"data.scaling": "bogus"}))
    with_metadata("data-layout-unknown", lambda m: m.update({"data.layout": "bogus"}))
    with_metadata("data-seed-text", lambda m: m.update({"data.seed": "minus one"}))
    with_metadata("data-class-labels-repeated", lambda m: m.update({"data.class-labels": "0,0,2,3,4,5,6,7,8,9"}))
    with_metadata("data-class-labels-text", lambda m: m.update({"data.class-labels": "zero,one"}))
    with_metadata("data-class-labels-too-few", lambda m: m.update({"data.class-labels": "0,1,2"}))
    with_metadata("data-feature-scaling-unknown", lambda m: m.update({"data.feature-scaling": "bogus"}))
    with_metadata("data-feature-statistics-missing", lambda m: m.update({"data.feature-scaling": "standard"}))

    def statistics(mean, deviation):
        return lambda m: m.update({"data.feature-scaling": "standard",
                                   "data.feature-statistics": json.dumps({"mean": mean, "standardDeviation": deviation})})

    with_metadata("data-feature-statistics-mismatched", statistics([0.5] * 64, [1.0] * 63))
    with_metadata("data-feature-statistics-negative", statistics([0.5] * 64, [-1.0] * 64))
    with_metadata("data-feature-statistics-wrong-width", statistics([0.5] * 3, [1.0] * 3))

    # Tensors that do not fit the model.
    with_header("weight-transposed", lambda h: h["0.weight"].update(shape=[10, 64]))
    with_tensors("weight-too-small", lambda t: t.update({"0.weight": ("F32", [32, 10], t["0.weight"][2][:32 * 10 * 4])}))
    with_tensors("bias-missing", lambda t: t.pop("0.bias"))

    # What only resuming reads: the optimiser's state and the training settings and history.
    with_metadata("optimizer-step-negative", lambda m: m.update({"optimizer.step": "-1"}))
    with_metadata("optimizer-step-text", lambda m: m.update({"optimizer.step": "many"}))
    with_tensors("optimizer-state-missing", lambda t: t.pop("optimizer.0.weight.1"))
    with_header("optimizer-state-transposed", lambda h: h["optimizer.0.weight.0"].update(shape=[10, 64]))
    with_metadata("settings-invalid-json", lambda m: m.update({"training.settings": "["}))

    def settings(**changes):
        def edit(m):
            values = json.loads(m["training.settings"])
            values.update(changes)
            m["training.settings"] = json.dumps(values, separators=(",", ":"), sort_keys=True)
        return edit

    with_metadata("settings-batch-size-zero", settings(batchSize=0))
    with_metadata("settings-optimizer-unknown", settings(optimizer="adamw"))
    with_metadata("history-invalid-json", lambda m: m.update({"training.history": "{\"epochs\":"}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keel", default=str(CORPUS.parents[2] / ".build/debug/keel"),
                        help="the keel executable that writes the base checkpoint")
    arguments = parser.parse_args()
    for directory in ["idx", "csv"]:
        shutil.rmtree(CORPUS / directory, ignore_errors=True)
    for old in (CORPUS / "checkpoint").glob("*.safetensors"):
        old.unlink()
    write_idx_corpus()
    write_csv_corpus()
    write_checkpoint_corpus(arguments.keel)


if __name__ == "__main__":
    main()
