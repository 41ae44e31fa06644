import ArgumentParser
import ChorusCore
import ChorusStore
import HummingbirdBcrypt
import Logging

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "account", abstract: "Manage accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account; the password is read from standard input.")

        @Option(help: "The account's handle.")
        var handle: String

        @Flag(help: "Make the account a moderator.")
        var moderator = false

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let handle: Handle
            do throws(InputError) {
                handle = try Handle(self.handle)
            } catch {
                throw ValidationError(error.message)
            }
            guard let password = readLine(strippingNewline: true) else { throw ValidationError("Type the password on standard input.") }
            do throws(InputError) {
                try PasswordRules.check(password)
            } catch {
                throw ValidationError(error.message)
            }
            let store = try await ChorusStore.open(try database.existingEngine(), logger: Logger(label: "chorus.account"))
            do {
                let codes = RecoveryCodes.generate()
                let account = try await store.createAccount(
                    handle: handle, passwordHash: Bcrypt.hash(password, cost: 12), recoveryCodes: codes, isModerator: moderator
                )
                print("Created @\(account.handle)\(moderator ? " (moderator)" : ""). Recovery codes, shown once:")
                codes.forEach { print("  \($0)") }
            } catch let refusal as Refusal {
                await store.shutdown()
                throw ValidationError(refusal.message)
            }
            await store.shutdown()
        }
    }
}
