import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One `chorus serve` per SQLite database: a second one would split live updates, rate limits and jobs between two
/// processes without a word. Commands run beside it (`account create`, `resources import`) take no lock.
enum DataDirectoryLock {
    struct Taken: Error, CustomStringConvertible {
        let folder: String
        var description: String {
            "Another chorus serve is already using the database in \(folder). SQLite serves one process; to run several "
                + "instances, use PostgreSQL (docs/deploy.md)."
        }
    }

    /// Holds an exclusive lock on `serve.lock` beside the database until the process ends (the kernel lets it go then,
    /// however the process ends).
    static func take(for databasePath: String) throws {
        let folder = (databasePath as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = open(directory + "/serve.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard file >= 0 else { return }  // a folder Chorus may not write in fails clearly when the database opens
        guard flock(file, LOCK_EX | LOCK_NB) == 0 else {
            close(file)
            throw Taken(folder: directory)
        }
        // Kept open on purpose: the lock lasts as long as this process.
    }
}
