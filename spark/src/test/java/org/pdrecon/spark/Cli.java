package org.pdrecon.spark;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the {@code pdrecon} command line (with {@code batch}): exit code and output. */
record Cli(int code, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = SparkMain.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    Cli ok() {
        if (code != 0) throw new AssertionError("exit " + code + "\n" + out + err);
        return this;
    }
}
