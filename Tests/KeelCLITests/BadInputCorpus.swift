/// Every bad input of the corpus, each as the command a user would run. Each must be refused cleanly.
extension BadInput {
    static let all = idxFiles + csvFiles + checkpoints + flags + outputs

    static let idxFiles: [BadInput] = [
        // The header.
        predicting("idx/empty.idx"),
        predicting("idx/truncated-header.idx"),
        predicting("idx/magic-only.idx"),
        predicting("idx/wrong-magic.idx"),
        predicting("idx/unknown-type.idx"),
        predicting("idx/rank-beyond-header.idx"),
        predicting("idx/zero-rank.idx"),
        predicting("idx/zero-dimension.idx"),
        predicting("idx/huge-dimensions.idx"),
        predicting("idx/overflowing-dimensions.idx"),
        predicting("idx/wrapping-dimensions.idx"),
        predicting("idx/wrapping-byte-count.idx"),
        // The data.
        predicting("idx/truncated-data.idx"),
        predicting("idx/more-promised-than-present.idx"),
        predicting("idx/trailing-bytes.idx"),
        predicting("idx/nan-pixels.idx"),
        predicting("idx/infinite-pixels.idx"),
        predicting("idx/labels-idx1-ubyte"),  // one value per example, where the model takes 64
        // gzip and DEFLATE.
        predicting("idx/bad-crc.gz"),
        predicting("idx/bad-length.gz"),
        predicting("idx/truncated.gz"),
        predicting("idx/truncated-trailer.gz"),
        predicting("idx/corrupt-deflate.gz"),
        predicting("idx/not-gzip.gz"),
        predicting("idx/gzip-magic-only.gz"),
        predicting("idx/gzip-unknown-method.gz"),
        predicting("idx/gzip-reserved-flags.gz"),
        predicting("idx/gzip-extra-field-beyond-file.gz"),
        predicting("idx/deflate-reserved-block-type.gz"),
        predicting("idx/deflate-stored-length-mismatch.gz"),
        predicting("idx/deflate-stored-length-beyond-file.gz"),
        predicting("idx/deflate-distance-too-far-back.gz"),
        predicting("idx/gzip-of-text.gz"),
        predicting("idx/second-member-truncated.gz"),
        // Not a file.
        predicting("idx/no-such-file.idx"),
        predicting("idx", names: ["idx"]),
        BadInput("predict --input /dev/null", ["predict", Corpus.checkpoint, "--input", "/dev/null"] + predictionOutput, names: ["/dev/null"]),
        BadInput("predict --input /dev/zero (endless)", ["predict", Corpus.checkpoint, "--input", "/dev/zero"] + predictionOutput, names: ["/dev/zero"]),
        BadInput("predict --input mnist5k images (784 features; the model takes 64)",
                 ["predict", Corpus.checkpoint, "--input", "{data}/mnist5k-images-idx3-ubyte.gz"] + predictionOutput, names: ["mnist5k-images-idx3-ubyte.gz"]),
        // Pairs of images and labels.
        trainingIDX(labels: "labels-count-mismatch.idx", names: ["labels-count-mismatch.idx"]),
        trainingIDX(labels: "labels-fractional.idx", names: ["labels-fractional.idx"]),
        trainingIDX(labels: "labels-negative.idx", names: ["labels-negative.idx"]),
        trainingIDX(labels: "images-idx3-ubyte", names: ["images-idx3-ubyte"]),
        trainingIDX(images: "labels-idx1-ubyte", labels: "images-idx3-ubyte", names: ["labels-idx1-ubyte", "images-idx3-ubyte"]),
        trainingIDX(images: "zero-count-images.idx", labels: "zero-count-labels.idx", names: ["zero-count-images.idx", "zero-count-labels.idx"]),
        trainingIDX(images: "nan-pixels.idx", names: ["nan-pixels.idx"]),
        trainingIDX(images: "truncated-data.idx", names: ["truncated-data.idx"]),
        trainingIDX(images: "bad-crc.gz", names: ["bad-crc.gz"]),
        trainingIDX(images: "huge-dimensions.idx", names: ["huge-dimensions.idx"]),
        trainingIDX(labels: "no-such-file.idx", names: ["no-such-file.idx"]),
        training("idx:{corpus}/idx/images-idx3-ubyte,{corpus}/idx", names: ["idx"]),
        training("idx:{corpus}/idx/images-idx3-ubyte", names: ["images-idx3-ubyte"]),
        training("idx:{corpus}/idx/mnist-incomplete", names: ["t10k-labels"]),
        training("idx:{corpus}/idx/no-such-directory", names: ["no-such-directory"]),
        BadInput("evaluate --dataset idx:truncated.gz,labels", ["evaluate", Corpus.checkpoint, "--backend", "cpu", "--dataset",
                                                               "idx:{corpus}/idx/truncated.gz,{corpus}/idx/labels-idx1-ubyte"], names: ["truncated.gz"]),
    ]

    static let csvFiles: [BadInput] = [
        trainingCSV("empty.csv"),
        trainingCSV("blank-lines.csv"),
        trainingCSV("header-only.csv"),
        trainingCSV("ragged-short-row.csv"),
        trainingCSV("ragged-long-row.csv"),
        trainingCSV("text-cell.csv"),
        trainingCSV("nan-cell.csv"),
        trainingCSV("inf-cell.csv"),
        trainingCSV("minus-inf-cell.csv"),
        trainingCSV("overflowing-cell.csv"),
        trainingCSV("label-negative.csv"),
        trainingCSV("label-fractional.csv"),
        trainingCSV("label-huge.csv"),
        trainingCSV("label-beyond-int.csv"),
        trainingCSV("label-text.csv"),
        trainingCSV("label-nan.csv", ["--regression"]),
        trainingCSV("one-class.csv"),
        trainingCSV("single-column.csv"),
        trainingCSV("unterminated-quote.csv"),
        trainingCSV("quote-inside-cell.csv"),
        trainingCSV("nul-byte.csv"),
        trainingCSV("binary.csv"),
        training("csv:{corpus}/csv/no-such-file.csv", names: ["no-such-file.csv"]),
        training("csv:{corpus}/csv", names: ["csv"]),
        BadInput("evaluate --dataset csv:train.csv (8 features; the model takes 64)",
                 ["evaluate", Corpus.checkpoint, "--backend", "cpu", "--dataset", "csv:{corpus}/csv/train.csv"], names: ["train.csv"]),
        predicting("csv/empty.csv"),
        predicting("csv/features-header-only.csv"),
        predicting("csv/features-ragged.csv"),
        predicting("csv/features-text.csv"),
        predicting("csv/features-nan.csv"),
        predicting("csv/features-inf.csv"),
        predicting("csv/features-63-columns.csv"),
        predicting("csv/features-unterminated-quote.csv"),
        predicting("csv/single-column.csv"),
        predicting("csv/train.csv"),  // 9 columns for a model of 64 features
    ]

    /// Format-level defects: `evaluate` and `inspect` must both refuse them.
    static let malformedCheckpoints = [
        "empty", "shorter-than-length", "header-length-beyond-file", "header-length-zero", "header-length-2-pow-63",
        "header-length-max", "header-length-cuts-json", "truncated-in-header", "truncated-in-data", "truncated-by-one-byte",
        "trailing-bytes", "invalid-json", "json-array", "json-string", "json-null", "json-trailing-garbage",
        "json-duplicate-key", "json-invalid-utf8", "json-deeply-nested", "entry-not-object", "missing-dtype", "missing-shape",
        "missing-data-offsets", "unknown-dtype", "dtype-not-string", "unsupported-dtype-f16", "negative-shape",
        "negative-shape-pair", "fractional-shape", "shape-not-array", "shape-overflow", "offsets-beyond-data",
        "offsets-reversed", "offsets-negative", "offsets-beyond-int64", "offsets-one-number", "offsets-overlap",
        "offsets-size-mismatch", "metadata-not-strings", "metadata-not-object", "metadata-nested-object", "checksum-mismatch",
    ]

    /// Well-formed safetensors files that are not a loadable checkpoint, or whose recorded data cannot be prepared.
    static let unusableCheckpoints = [
        "format-other", "format-missing", "version-future", "version-text", "kind-unknown", "kind-missing",
        "kind-mismatching-configuration", "configuration-missing", "configuration-invalid-json", "configuration-negative-width",
        "configuration-zero-width", "configuration-huge-width", "weight-transposed", "weight-too-small", "bias-missing",
        "data-spec-unknown", "data-test-fraction-above-one", "data-test-fraction-nan", "data-scaling-unknown",
        "data-layout-unknown", "data-seed-text",
    ]

    /// What only resuming reads.
    static let unresumableCheckpoints = [
        "optimizer-step-negative", "optimizer-step-text", "optimizer-state-missing", "optimizer-state-transposed",
        "settings-invalid-json", "settings-batch-size-zero", "settings-optimizer-unknown", "history-invalid-json",
    ]

    /// `inspect` reads the file as `evaluate` does; these check that it, too, refuses the worst of them.
    static let uninspectableCheckpoints = [
        "empty", "header-length-2-pow-63", "header-length-max", "truncated-in-data", "json-invalid-utf8", "json-deeply-nested",
        "negative-shape-pair", "shape-overflow", "offsets-overlap", "metadata-not-strings",
    ]

    static let checkpoints: [BadInput] = malformedCheckpoints.map(evaluating) + uninspectableCheckpoints.map(inspecting)
        + unusableCheckpoints.map(evaluating) + unresumableCheckpoints.map { resuming($0) } + [
            BadInput("evaluate data-spec-missing-files", ["evaluate", "{corpus}/checkpoint/data-spec-missing-files.safetensors", "--backend", "cpu"],
                     names: ["data-spec-missing-files.safetensors", "/nonexistent-keel-corpus/images"]),
            evaluating("no-such-file"),
            BadInput("evaluate a directory", ["evaluate", "{corpus}/checkpoint", "--backend", "cpu"], names: ["checkpoint"]),
            BadInput("evaluate /dev/zero (endless)", ["evaluate", "/dev/zero", "--backend", "cpu"], names: ["/dev/zero"]),
            BadInput("predict with header-length-2-pow-63", ["predict", "{corpus}/checkpoint/header-length-2-pow-63.safetensors", "--input", Corpus.images]
                     + predictionOutput, names: ["header-length-2-pow-63.safetensors"]),
            BadInput("predict with kind-unknown", ["predict", "{corpus}/checkpoint/kind-unknown.safetensors", "--input", Corpus.images]
                     + predictionOutput, names: ["kind-unknown.safetensors"]),
            BadInput("predict with weight-transposed", ["predict", "{corpus}/checkpoint/weight-transposed.safetensors", "--input", Corpus.images]
                     + predictionOutput, names: ["weight-transposed.safetensors"]),
            resuming("truncated-in-data"),
            resuming("weight-transposed"),
            resuming("no-such-file"),
            BadInput("train anchors --resume an mlp checkpoint",
                     ["train", "anchors", "--resume", Corpus.checkpoint, "--epochs", "2", "--save", "{out}/model.safetensors"],
                     names: ["valid.safetensors", "anchors"]),
            BadInput("train --resume with mnist5k (784 features; the model takes 64)",
                     ["train", "logreg", "--resume", Corpus.checkpoint, "--dataset", "mnist5k", "--epochs", "2", "--save", "{out}/model.safetensors"],
                     names: ["mnist5k", "784"]),
            BadInput("evaluate --dataset mnist5k (784 features; the model takes 64)",
                     ["evaluate", Corpus.checkpoint, "--backend", "cpu", "--dataset", "mnist5k"], names: ["mnist5k", "784"]),
        ]

    static let flags: [BadInput] = [
        flag(["--epochs=-1"]), flag(["--epochs", "0"]), flag(["--epochs", "nan"]), flag(["--epochs", "ten"]),
        flag(["--epochs", "1.5"]), flag(["--epochs", "99999999999999999999"]),
        flag(["--batch-size", "0"]), flag(["--batch-size=-32"]), flag(["--batch-size", "1.5"]),
        flag(["--batch-size", "99999999999999999999"]),
        flag(["--lr", "nan"]), flag(["--lr", "inf"]), flag(["--lr=-0.1"]), flag(["--lr", "-0.1"]), flag(["--lr", "abc"]),
        flag(["--test-fraction", "1"]), flag(["--test-fraction", "1.5"]), flag(["--test-fraction=-0.2"]),
        flag(["--test-fraction", "nan"]),
        flag(["--validation-fraction", "1"]), flag(["--validation-fraction=-0.1"]), flag(["--validation-fraction", "nan"]),
        flag(["--validation-fraction", "0.6", "--test-fraction", "0.5"]),
        flag(["--weight-decay=-1"]), flag(["--weight-decay", "nan"]), flag(["--weight-decay", "inf"]),
        flag(["--seed", "abc"]), flag(["--seed", "99999999999999999999999"]),
        flag(["--schedule", "bogus"]), flag(["--schedule", ""]), flag(["--schedule", "inverse-time:nan"]),
        flag(["--schedule=inverse-time:-1"]), flag(["--schedule", "inverse-time:1:-5"]), flag(["--schedule", "step:0:1"]),
        flag(["--schedule", "step:0.5:0"]), flag(["--schedule", "step:0.5"]),
        flag(["--early-stopping", "0", "--validation-fraction", "0.2"]), flag(["--early-stopping=-1", "--validation-fraction", "0.2"]),
        flag(["--early-stopping", "3:0", "--validation-fraction", "0.2"]), flag(["--early-stopping", "abc", "--validation-fraction", "0.2"]),
        flag(["--early-stopping", "3:x", "--validation-fraction", "0.2"]),
        flag(["--early-stopping", "99999999999999999999", "--validation-fraction", "0.2"]),
        flag(["--scaling", "bogus"]), flag(["--optimizer", "bogus"]),
        flag(["--activation", "bogus"], model: "mlp"), flag(["--interaction", "bogus"], model: "anchors"),
        flag(["--init", "bogus"], model: "anchors"),
        flag(["--anchors-per-class", "0"], model: "anchors"), flag(["--anchors-per-class=-1"], model: "anchors"),
        flag(["--anchors-per-class", "1000000"], model: "anchors"),
        flag(["--charge", "nan"], model: "anchors"), flag(["--charge", "inf"], model: "anchors"),
        flag(["--hidden", "0"], model: "mlp"), flag(["--hidden=100,-5"], model: "mlp"), flag(["--hidden", "100,,10"], model: "mlp"),
        flag(["--hidden", "abc"], model: "mlp"), flag(["--hidden", "10000000000000"], model: "mlp"),
        flag(["--dropout=-0.1"], model: "mlp"), flag(["--dropout", "1"], model: "mlp"), flag(["--dropout", "1.5"], model: "mlp"),
        flag(["--dropout", "nan"], model: "mlp"),
        flag(["--code", "0"], model: "autoencoder"), flag(["--code=-3"], model: "autoencoder"),
        flag(["--code", "1000000000000"], model: "autoencoder"),
        BadInput("train --dataset bogus", ["train", "logreg", "--dataset", "bogus"] + trainingOutput, names: ["bogus"]),
        BadInput("train --dataset idx:", ["train", "logreg", "--dataset", "idx:"] + trainingOutput, names: ["idx:"]),
        BadInput("train --dataset csv:", ["train", "logreg", "--dataset", "csv:"] + trainingOutput, names: ["csv:"]),
        BadInput("train --dataset onehot:k-2", ["train", "autoencoder", "--dataset", "onehot:k-2"] + trainingOutput, names: ["onehot:k-2"]),
        BadInput("evaluate --dataset bogus", ["evaluate", Corpus.checkpoint, "--dataset", "bogus"], names: ["bogus"]),
        // Model kinds.
        BadInput("train perceptron", ["train", "perceptron"] + trainingOutput, names: ["perceptron"]),
        BadInput("train MLP", ["train", "MLP"] + trainingOutput, names: ["MLP"]),
        BadInput("train ''", ["train", ""] + trainingOutput, names: ["model"]),
        // Backends.
        flag(["--backend", "opencl:99"], names: ["opencl:99"]), flag(["--backend", "cpu:1"], names: ["cpu:1"]),
        flag(["--backend", "nope"], names: ["nope"]), flag(["--backend", ""], names: ["--backend"]),
        flag(["--backend", "opencl:0:99"], names: ["opencl:0:99"]), flag(["--backend=opencl:-1"], names: ["opencl:-1"]),
        flag(["--backend", "opencl:no-such-device"], names: ["no-such-device"]), flag(["--backend", "reference:x"], names: ["reference:x"]),
        BadInput("train KEEL_BACKEND=nope", ["train", "logreg"] + trainingOutput, names: ["KEEL_BACKEND"], environment: ["KEEL_BACKEND": "nope"]),
        BadInput("evaluate --backend opencl:99", ["evaluate", Corpus.checkpoint, "--backend", "opencl:99"], names: ["opencl:99"]),
        BadInput("predict --backend nope", ["predict", Corpus.checkpoint, "--input", Corpus.images, "--backend", "nope"] + predictionOutput,
                 names: ["nope"]),
        // predict's own flags.
        BadInput("predict --maximum 0", ["predict", Corpus.checkpoint, "--input", Corpus.images, "--maximum", "0"] + predictionOutput, names: ["--maximum"]),
        BadInput("predict --maximum=-255", ["predict", Corpus.checkpoint, "--input", Corpus.images, "--maximum=-255"] + predictionOutput, names: ["--maximum"]),
        BadInput("predict --maximum nan", ["predict", Corpus.checkpoint, "--input", Corpus.images, "--maximum", "nan"] + predictionOutput, names: ["--maximum"]),
        BadInput("predict --maximum inf", ["predict", Corpus.checkpoint, "--input", Corpus.images, "--maximum", "inf"] + predictionOutput, names: ["--maximum"]),
        BadInput("predict --maximum abc", ["predict", Corpus.checkpoint, "--input", Corpus.images, "--maximum", "abc"] + predictionOutput, names: ["--maximum"]),
        BadInput("predict without --input", ["predict", Corpus.checkpoint] + predictionOutput, names: ["--input"]),
    ]

    /// Output paths that cannot be written, and existing outputs that a failure must leave byte for byte.
    static let outputs: [BadInput] = [
        flag(["--save", "{out}/no-such-directory/model.safetensors"], names: ["no-such-directory"]),
        flag(["--save", "{out}/existing-output/model.safetensors"], names: ["existing-output"]),
        flag(["--save", "{out}/existing-directory"], names: ["existing-directory"]),
        flag(["--report", "{out}/no-such-directory/report.html"], names: ["no-such-directory"]),
        BadInput("predict --output in a missing directory", ["predict", Corpus.checkpoint, "--input", Corpus.images,
                                                             "--output", "{out}/no-such-directory/predictions.csv"], names: ["no-such-directory"]),
        BadInput("predict --output under a file", ["predict", Corpus.checkpoint, "--input", Corpus.images,
                                                   "--output", "{out}/existing-output/predictions.csv"], names: ["existing-output"]),
        BadInput("predict --output a directory", ["predict", Corpus.checkpoint, "--input", Corpus.images,
                                                  "--output", "{out}/existing-directory"], names: ["existing-directory"]),
        // An existing output stays as it was.
        BadInput("predict truncated.gz --output existing-output", ["predict", Corpus.checkpoint, "--input", "{corpus}/idx/truncated.gz",
                                                                   "--output", "{out}/existing-output"], names: ["truncated.gz"]),
        BadInput("predict features-nan.csv --output existing-output", ["predict", Corpus.checkpoint, "--input", "{corpus}/csv/features-nan.csv",
                                                                       "--output", "{out}/existing-output"], names: ["features-nan.csv"]),
        BadInput("predict with truncated-in-data --output existing-output", ["predict", "{corpus}/checkpoint/truncated-in-data.safetensors",
                                                                             "--input", Corpus.images, "--output", "{out}/existing-output"],
                 names: ["truncated-in-data.safetensors"]),
        BadInput("train csv:nan-cell.csv --save existing-output", ["train", "logreg", "--dataset", "csv:{corpus}/csv/nan-cell.csv",
                                                                   "--epochs", "1", "--save", "{out}/existing-output"], names: ["nan-cell.csv"]),
        BadInput("train csv:ragged-long-row.csv --report existing-output", ["train", "logreg", "--dataset", "csv:{corpus}/csv/ragged-long-row.csv",
                                                                            "--epochs", "1", "--report", "{out}/existing-output"],
                 names: ["ragged-long-row.csv"]),
        BadInput("train --lr nan --save existing-output", ["train", "logreg", "--lr", "nan", "--epochs", "1", "--save", "{out}/existing-output"],
                 names: ["--lr"]),
        resuming("optimizer-state-transposed", save: "existing-output"),
        resuming("kind-unknown", save: "existing-output"),
    ]
}
