import ChorusStore
import Foundation
import Hummingbird
import Metrics
import Prometheus

/// What an operator's Prometheus scrapes from `/metrics`: requests by route pattern and status, how long writes take
/// and how they share commits, live streams, and the process's memory. Nothing names a person: no handle, address,
/// voice or text, and routes are their patterns (`/voices/{id}`), never the path asked for.
///
/// Kept only when the instance has a metrics token (`--metrics-token`), and shown only to a scraper that sends it.
enum InstanceMetrics {
    /// The process's one registry. swift-metrics takes its backend once per process, so the first application built
    /// with a token starts it, and every later one (tests build many) reports into the same registry.
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (names[name] ?? name.replacing(".", with: "_"), labels.map { (names[$0.0] ?? $0.0.replacing(".", with: "_"), $0.1) })
        }
        // Requests and writes take milliseconds, and a sync of the WAL less: the buckets start at a quarter of one.
        factory.defaultDurationHistogramBuckets = [0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000].map {
            .microseconds(Int64($0 * 1000))
        }
        factory.valueHistogramBuckets[WriteMetrics.batchLabel] = [1, 2, 4, 8, 16, 32, 64, 128, 256]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Hummingbird's request metrics, under names Prometheus expects.
    private static let names = [
        "hb.requests": "chorus_http_requests_total",
        "hb.request.errors": "chorus_http_request_errors_total",
        "http.server.request.duration": "chorus_http_request_duration_seconds",
        "http.server.active_requests": "chorus_http_active_requests",
        "http.route": "route",
        "http.request.method": "method",
        "http.response.status_code": "status",
        "error.type": "status",
    ]

    /// The process's resident memory in bytes, from `/proc/self/statm` (0 where there is none).
    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// `GET /metrics` in Prometheus's text format, for a scraper that sends `Authorization: Bearer <metrics token>`.
struct MetricsController {
    let token: String
    let live: LiveEvents
    private let streams = InstanceMetrics.registry.makeGauge(
        name: "chorus_live_streams", help: "Live streams open on this process (server-sent events and WebSockets).")
    private let memory = InstanceMetrics.registry.makeGauge(name: "process_resident_memory_bytes", help: "Resident memory of this process.")

    init(token: String, live: LiveEvents) {
        self.token = token
        self.live = live
    }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/metrics") { request, _ in
            guard Self.sameBytes(request.headers[.authorization] ?? "", "Bearer \(token)") else {
                return Response(
                    status: .unauthorized,
                    headers: [.wwwAuthenticate: "Bearer", .contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(
                        byteBuffer: ByteBuffer(
                            string: "These figures are for the instance's operators: send its metrics token as Authorization: Bearer <token>.\n")))
            }
            streams.set(Int64(live.subscriberCount))
            memory.set(Int64(InstanceMetrics.residentBytes()))
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: InstanceMetrics.registry.emitToBuffer())))
        }
    }

    /// Compares every byte, so the time taken tells nothing of how much of a guess was right.
    static func sameBytes(_ sent: String, _ expected: String) -> Bool {
        let sent = Array(sent.utf8)
        let expected = Array(expected.utf8)
        var difference = UInt8(sent.count == expected.count ? 0 : 1)
        for index in expected.indices { difference |= expected[index] ^ (index < sent.count ? sent[index] : 0) }
        return difference == 0
    }
}
