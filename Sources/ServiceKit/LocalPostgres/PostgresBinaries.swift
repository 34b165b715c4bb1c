import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the PostgreSQL server programs (initdb, pg_ctl, postgres) live on this machine.
public struct PostgresBinaries: Sendable {
    /// Folder holding initdb, pg_ctl and postgres.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var initdb: String { (directory as NSString).appendingPathComponent("initdb") }
    public var pgCtl: String { (directory as NSString).appendingPathComponent("pg_ctl") }
    public var postgres: String { (directory as NSString).appendingPathComponent("postgres") }

    /// Looks, in order, at: a directory on PATH holding both initdb and pg_ctl (Debian keeps them off
    /// PATH), the folder `pg_config --bindir` names, then the newest /usr/lib/postgresql/<version>/bin.
    /// A symlinked initdb on PATH resolves to the folder it points into when that folder holds pg_ctl too.
    /// Throws `LocalPostgresError.notInstalled` saying what is missing and how to install it.
    public static func locate() throws -> PostgresBinaries {
        var looked: [String] = []

        // 1. PATH
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) where !directory.isEmpty {
            if let found = serverDirectory(directory) { return found }
        }
        looked.append("PATH (\(path.isEmpty ? "unset" : path))")

        // 2. pg_config --bindir
        if let pgConfig = try? ProcessRunner.resolveExecutable("pg_config") {
            if let result = try? ProcessRunner.run(pgConfig, ["--bindir"]), result.status == 0 {
                let bindir = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                if let found = serverDirectory(bindir) { return found }
                looked.append("`pg_config --bindir` (\(bindir): no initdb/pg_ctl there)")
            } else {
                looked.append("`pg_config --bindir` (failed)")
            }
        } else {
            looked.append("`pg_config --bindir` (no pg_config on PATH)")
        }

        // 3. Debian/Ubuntu layout, newest major version first.
        let debianRoot = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debianRoot)) ?? [])
            .sorted { versionKey($0).lexicographicallyPrecedes(versionKey($1)) }
            .reversed()
        for version in versions {
            if let found = serverDirectory("\(debianRoot)/\(version)/bin") { return found }
        }
        looked.append("\(debianRoot)/*/bin (\(versions.isEmpty ? "none" : versions.joined(separator: ", ")))")

        throw LocalPostgresError.notInstalled(
            "PostgreSQL server programs (initdb, pg_ctl) were not found; looked at " + looked.joined(separator: "; ")
            + ". Install them (Debian/Ubuntu: `apt-get install -y postgresql`; macOS: `brew install postgresql`)"
            + " or set LYCEUM_DATABASE_URL to use an existing server."
        )
    }

    /// The folder holding the server programs, if `directory` has both initdb and pg_ctl.
    private static func serverDirectory(_ directory: String) -> PostgresBinaries? {
        let fm = FileManager.default
        let initdb = (directory as NSString).appendingPathComponent("initdb")
        let pgCtl = (directory as NSString).appendingPathComponent("pg_ctl")
        guard fm.isExecutableFile(atPath: initdb), fm.isExecutableFile(atPath: pgCtl) else { return nil }
        // /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb: prefer the real folder, which also
        // holds `postgres` and the programs pg_ctl expects next to it.
        let resolved = (URL(fileURLWithPath: initdb).resolvingSymlinksInPath().path as NSString).deletingLastPathComponent
        if resolved != directory,
           fm.isExecutableFile(atPath: (resolved as NSString).appendingPathComponent("pg_ctl")) {
            return PostgresBinaries(directory: resolved)
        }
        return PostgresBinaries(directory: directory)
    }

    /// "15" -> [15], "9.6" -> [9, 6]; non-numeric names sort first.
    private static func versionKey(_ name: String) -> [Int] {
        name.split(separator: ".").map { Int($0) ?? -1 }
    }
}
