import Foundation

/// MNIST handwritten digits (LeCun, Cortes, Burges; CC BY-SA 3.0): 60,000 training and
/// 10,000 test images of 28×28 grey pixels, labels 0–9.
///
/// Features are `Float` in [0, 1] (pixel / 255; 0 = background, 1 = full ink), shape
/// `[28, 28, 1]` (NHWC). The bundled training images are split into six IDX parts of 10,000
/// images each (`train-images-part{0..5}-idx3-ubyte.gz`), read in order; the original single
/// `train-images-idx3-ubyte(.gz)` is used instead when the parts are absent.
public enum MNIST {
    /// The number of classes (digits 0–9).
    public static let classCount = 10
    /// The shape of one image sample.
    public static let featureShape = [28, 28, 1]
    /// The bundled training image parts, in order.
    public static let trainImagePartNames = (0..<6).map { "train-images-part\($0)-idx3-ubyte.gz" }

    /// Loads the 60,000 training images and labels from `directory`.
    /// - Parameter directory: the folder holding the MNIST files.
    /// - Throws: `DatasetError` for missing, corrupt or inconsistent files.
    public static func loadTrain(directory: URL) throws -> LabeledDataset {
        var images = trainImagePartNames.map { directory.appendingPathComponent($0) }
        if !FileManager.default.fileExists(atPath: images[0].path) {
            for name in ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"]
            where FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
                images = [directory.appendingPathComponent(name)]
                break
            }
        }
        return try load(imageFiles: images, labelFile: directory.appendingPathComponent("train-labels-idx1-ubyte.gz"))
    }

    /// Loads the 10,000 test images and labels (`t10k-*`) from `directory`.
    /// - Parameter directory: the folder holding the MNIST files.
    /// - Throws: `DatasetError` for missing, corrupt or inconsistent files.
    public static func loadTest(directory: URL) throws -> LabeledDataset {
        try load(
            imageFiles: [directory.appendingPathComponent("t10k-images-idx3-ubyte.gz")],
            labelFile: directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
    }

    /// Loads MNIST-format images (one or more IDX3 files, concatenated in order) and labels.
    /// - Parameters:
    ///   - imageFiles: IDX3 image files, plain or gzipped.
    ///   - labelFile: the IDX1 label file with one label per image.
    /// - Throws: `DatasetError` for missing, corrupt or inconsistent files or labels ≥ 10.
    public static func load(imageFiles: [URL], labelFile: URL) throws -> LabeledDataset {
        try IDXImageSet.load(imageFiles: imageFiles, labelFile: labelFile, classCount: classCount, scale: .unit)
    }
}
