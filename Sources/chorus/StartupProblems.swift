import ArgumentParser
import ChorusStore
import Foundation
import NIOCore

/// Errors met while starting, said as one line an operator can act on, instead of a library's own description.
enum StartupProblems {
    /// Runs `body`; an error it throws is printed as such a line, and the command ends with exit code 1.
    static func explained<T>(databaseURL: String?, dataDirectory: String, port: Int? = nil, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let line = explain(error, databaseURL: databaseURL, dataDirectory: dataDirectory, port: port) ?? String(describing: error)
            FileHandle.standardError.write(Data("Error: \(line)\n".utf8))
            throw ExitCode.failure
        }
    }

    static func explain(_ error: any Error, databaseURL: String?, dataDirectory: String, port: Int?) -> String? {
        if let database = DatabaseProblem.explain(error, databaseURL: databaseURL) { return database }
        if let io = error as? IOError {
            switch io.errnoCode {
            case EADDRINUSE:
                return
                    "Port \(port.map(String.init) ?? "") is in use: another program (perhaps another Chorus) listens there. Choose another --port, or stop it."
            case EACCES:
                return "Chorus may not listen on port \(port.map(String.init) ?? ""): ports below 1024 need privileges. Choose a port above 1024."
            case EADDRNOTAVAIL: return "This machine has no such address to listen on: check --hostname."
            default: return nil
            }
        }
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileWriteFileExistsError: return "--data-dir \(dataDirectory) is a file, not a folder. Choose a folder for the database."
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError:
                return "Chorus may not write in --data-dir \(dataDirectory). Check the folder's owner and permissions."
            default: return nil
            }
        }
        return nil
    }
}
