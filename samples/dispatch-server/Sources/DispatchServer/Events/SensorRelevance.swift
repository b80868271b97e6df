/// Which sensor types matter for an event category: the nearest ones are returned with the
/// assignment so the dispatcher can check the reading (a 积水 report next to a water-level
/// sensor, a 燃气泄漏 next to gas alarms).
///
/// The table covers the sample district's categories (TwinSamples `DispatchRule.table`);
/// categories without a row get no sensors. Types are the twin's sensor `type` strings.
enum SensorRelevance {
    static let table: [String: [String]] = [
        "积水": ["water_level"],
        "井盖缺失": ["manhole_cover"],
        "噪声扰民": ["noise"],
        "违法停车": ["parking"],
        "烟雾报警": ["smoke", "electrical_fire"],
        "燃气泄漏": ["gas"],
        "人群聚集": ["noise"],
    ]
}
