package io.receiptranger.cli;

import java.io.Console;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.List;

import io.receiptranger.cli.ingest.IngestException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./ranger submit|receipts|summary|duplicates|help}: the command line of Receipt Ranger, a
 * client of the ingest's public API only (CONTRACT.md §3, §6), so it works against this machine's
 * services and against a deployed instance alike. {@code up}, {@code down} and {@code status} are
 * the {@code ranger} script's own; it prints their lines before this program's in {@code help}.
 *
 * <p>Exit codes: 0 everything ended well, 1 something failed, 2 a usage error (or a filter the
 * ingest refused), 3 the ingest could not be used (not reachable, token refused, broken answer).
 */
@Command(name = "./ranger", mixinStandardHelpOptions = true, versionProvider = Ranger.Version.class,
        synopsisHeading = "", customSynopsis = "",
        commandListHeading = "Use it (this machine's ingest, or a deployed one with --ingest URL and --token):%n",
        footer = {"", "./ranger <command> --help shows a command's options."},
        subcommands = {SubmitCommand.class, ReceiptsCommand.class, SummaryCommand.class, DuplicatesCommand.class,
                CommandLine.HelpCommand.class})
public class Ranger implements Runnable {

    public static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;

    Ranger(PrintStream out, PrintStream err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, onTerminal()));
    }

    /** Runs one command line; what it prints goes to {@code out} and {@code err}; live bars only when {@code interactive}. */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean interactive) {
        CommandLine line = new CommandLine(new Ranger(out, err, interactive));
        // The top level lists the commands only; the script prints its own (up, down, status) above them.
        line.getCommandSpec().usageMessage().sectionKeys(List.of(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
                CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER));
        line.getSubcommands().get("help").getCommandSpec().usageMessage().header("This list, or a command's options: help <command>");
        line.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IngestException ingest) {
                cmd.getErr().println("ranger: " + ingest.getMessage());
                return ingest.exitCode();
            }
            if (e instanceof CommandLine.ParameterException p) {
                cmd.getErr().println("ranger: " + p.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            throw e;
        });
        line.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("ranger: " + e.getMessage());
            e.getCommandLine().getErr().println("See ./ranger " + commandName(e.getCommandLine()) + "--help");
            return CommandLine.ExitCode.USAGE;
        });
        return line.execute(args);
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** Whether a person watches: standard input and output are a terminal. */
    boolean interactive() {
        return interactive;
    }

    /**
     * On JDK 17 a console exists only when standard input and output are a terminal; from JDK 22 it
     * may exist anyway and {@code isTerminal()} tells.
     */
    static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private static String commandName(CommandLine line) {
        return line.getParent() == null ? "" : line.getCommandName() + " ";
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Ranger.class.getPackage().getImplementationVersion();
            return new String[] {"Receipt Ranger CLI " + (v == null ? "(development build)" : v)};
        }
    }
}
