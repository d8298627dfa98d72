/// The contents of one IDX file (LeCun's MNIST format) of unsigned bytes: its dimensions
/// and its payload.
public struct IDXFile: Sendable, Equatable {
    /// The magic number read from the file: `0x00000801` for a 1-D label file,
    /// `0x00000803` for a 3-D image file.
    public var magic: UInt32
    /// The extent of each dimension, outermost first, e.g. `[10000, 28, 28]`.
    public var dimensions: [Int]
    /// The payload, row-major, `dimensions.reduce(1, *)` bytes.
    public var bytes: [UInt8]

    /// Creates an IDX file value.
    public init(magic: UInt32, dimensions: [Int], bytes: [UInt8]) {
        self.magic = magic
        self.dimensions = dimensions
        self.bytes = bytes
    }

    /// The number of items (the first dimension).
    public var itemCount: Int { dimensions.first ?? 0 }

    /// The number of bytes per item (the product of the other dimensions).
    public var itemSize: Int { dimensions.dropFirst().reduce(1, *) }
}
