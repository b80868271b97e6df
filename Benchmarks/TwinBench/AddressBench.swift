import Glibc
import TwinGeo

// twin-bench address [DIR]: the address geocoder on a sample district's address book and noisy
// event addresses (written by TwinSamples, e.g. `twin-tool demo --dir DIR`; default
// `sample-district`). Imports the book into a scratch twin, prints the accuracy figures
// (asserted in ImportAddressesCommandTests) and the batch throughput on one core (thread CPU
// time, best of 3) and on all cores (wall time).
func runAddressBenchmark(directory: String) {
    let book = directory + "/addresses"
    let events = directory + "/events/event_addresses.csv"
    guard access(events, R_OK) == 0 else {
        print("address: no \(events); write a sample first (twin-tool demo --dir \(directory))")
        exit(1)
    }
    let twin = "/tmp/twin-bench-address-\(getpid()).gpkg"
    defer { unlink(twin) }
    do {
        let builder = try TwinBuilder.create(at: twin)
        if access(directory + "/assets/buildings.geojson", R_OK) == 0 {
            try builder.importAssets(path: directory + "/assets/buildings.geojson", kind: .building)
        }
        let imported = try builder.importAddresses(AddressBookFiles(
            roads: book + "/roads.geojson", doorplates: book + "/doorplates.csv", communities: book + "/communities.geojson",
            pois: book + "/pois.csv", aliases: book + "/aliases.csv"))
        print("address book: \(imported.roads) roads, \(imported.doorplates) door-plates (+\(imported.buildingDoorplates) from buildings), "
              + "\(imported.communities) 小区, \(imported.pois) POIs, \(imported.intersections) intersections, \(imported.rejects.count) rejects")
        let geocoder = try AddressGeocoder(twinPath: twin)
        let report = try AddressAccuracyReport.measure(geocoder, eventAddressesCSV: events)
        print(report)

        // Throughput: the event texts, repeated to ~200,000 addresses.
        let texts = report.texts
        var batch: [String] = []
        while batch.count < 200_000 { batch.append(contentsOf: texts) }
        var sink = 0
        let oneCore = bestThreadCPUTime { sink &+= geocoder.geocode(batch: batch, concurrently: false).count }
        let allCores = bestTime { sink &+= geocoder.geocode(batch: batch).count }
        print("address geocode batch, \(batch.count) addresses: one core \(fmt(Double(batch.count) / oneCore)) addresses/s "
              + "(\(fmt(t2ns(oneCore, batch.count) / 1000)) µs each); all cores \(fmt(Double(batch.count) / allCores)) addresses/s"
              + (sink == 0 ? "" : ""))
    } catch {
        print("address: \(error)")
        exit(1)
    }
}
