extension SampleDistrict {
    /// Writes the committed test fixture (`samples/fixture/`): ``defaultSeed`` with
    /// ``SampleConfiguration/fixture`` (scale 0.02, 50 event rows including one of each bad kind).
    ///
    /// - Parameter directory: the output directory (created if missing).
    /// - Throws: `IOFileError` when writing fails.
    public static func writeFixture(to directory: String) throws {
        try generate(seed: defaultSeed, configuration: .fixture).write(to: directory)
    }
}
