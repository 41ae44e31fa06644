import ChorusCore
import ChorusStore
import Foundation
import Hummingbird
import Synchronization

/// The help directory as pages read it: the database's copy (or the bundled one), kept in memory and at most a minute old,
/// so every page can show a support line without waiting on the database.
final class HelpDirectory: Sendable {
    let store: ChorusStore
    private let state: Mutex<(directory: ResourceDirectory, loadedAt: Date)>
    /// Another instance (or `chorus resources import`) may change the directory: re-read it this often.
    static let freshness: TimeInterval = 60

    init(store: ChorusStore) {
        self.store = store
        self.state = Mutex((.bundled, .distantPast))
    }

    /// The directory as last read.
    var current: ResourceDirectory { state.withLock { $0.directory } }

    /// Reads the directory from the database now.
    @discardableResult
    func reload() async throws -> ResourceDirectory {
        let directory = try await store.helpDirectory() ?? .bundled
        state.withLock { $0 = (directory, Date()) }
        return directory
    }

    /// Re-reads the directory when the copy in memory is older than ``freshness``.
    func reloadIfStale() async throws {
        let age = state.withLock { Date().timeIntervalSince($0.loadedAt) }
        if age > Self.freshness { try await reload() }
    }
}

/// Keeps the help directory in memory no older than a minute, whoever changed it.
struct HelpDirectoryMiddleware: RouterMiddleware {
    typealias Context = ChorusContext
    let help: HelpDirectory?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            try await help?.reloadIfStale()
        } catch {
            // The copy in memory still serves; the database's trouble shows up where it matters.
            context.logger.warning("Could not re-read the help directory: \(String(reflecting: error))")
        }
        return try await next(request, context)
    }
}
