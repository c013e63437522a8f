/// Left-aligned text columns for the human-readable output of `tributary admin`.
struct TextTable {
    let header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// The table, two spaces between columns, no trailing spaces.
    var text: String {
        let all = [header] + rows
        let widths = header.indices.map { column in
            all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                let isLast = column == row.count - 1
                let width = widths.indices.contains(column) ? widths[column] : cell.count
                line += isLast ? cell : cell + String(repeating: " ", count: width + 2 - cell.count)
            }
            return line
        }.joined(separator: "\n")
    }
}
