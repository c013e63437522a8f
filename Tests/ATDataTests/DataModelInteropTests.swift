import ATData
import Foundation
import Testing

/// Every case of ../shared/interop/data-model/*.json.
@Suite struct DataModelInteropTests {
    struct Fixture {
        let json: [UInt8]
        let cbor: [UInt8]
        let cid: String
    }

    func fixtures() throws -> [Fixture] {
        let cases = try #require(try ATDataFixturePaths.jsonArray("interop/data-model/data-model-fixtures.json"))
        return try cases.map { entry in
            let object = try #require(entry["json"])
            let json = try JSONSerialization.data(withJSONObject: object)
            let base64 = try #require(entry["cbor_base64"] as? String)
            let cbor = try #require(Base64.decode(base64))
            let cid = try #require(entry["cid"] as? String)
            return Fixture(json: [UInt8](json), cbor: cbor, cid: cid)
        }
    }

    @Test func jsonEncodesToExactBytesAndCID() throws {
        let cases = try fixtures()
        #expect(cases.count == 3)
        var checked = 0
        for fixture in cases {
            let value = try DataValue(json: fixture.json)
            let encoded = DAGCBOR.encode(value)
            #expect(encoded == fixture.cbor)
            #expect(CID.compute(of: encoded).string == fixture.cid)
            let decoded = try DAGCBOR.decode(fixture.cbor)
            #expect(decoded == value)
            // JSON output parses back to the same value.
            #expect(try DataValue(json: Array(decoded.jsonString.utf8)) == value)
            checked += 1
        }
        #expect(checked == 3)
    }

    @Test func validDataModelCases() throws {
        let cases = try #require(try ATDataFixturePaths.jsonArray("interop/data-model/data-model-valid.json"))
        #expect(cases.count == 5)
        var checked = 0
        for entry in cases {
            let object = try #require(entry["json"])
            let json = try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed])
            let value = try DataValue(json: json, requireObject: true)
            #expect(try DAGCBOR.decode(DAGCBOR.encode(value)) == value, "\(entry["note"] ?? "")")
            checked += 1
        }
        #expect(checked == 5)
    }

    @Test func invalidDataModelCases() throws {
        let cases = try #require(try ATDataFixturePaths.jsonArray("interop/data-model/data-model-invalid.json"))
        #expect(cases.count == 12)
        var rejected = 0
        for entry in cases {
            let object = try #require(entry["json"])
            let json = try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed])
            #expect(throws: DataJSONError.self, "\(entry["note"] ?? "")") {
                try DataValue(json: json, requireObject: true)
            }
            if (try? DataValue(json: json, requireObject: true)) == nil { rejected += 1 }
        }
        #expect(rejected == 12)
    }
}
