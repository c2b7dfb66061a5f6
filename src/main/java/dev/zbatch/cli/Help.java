package dev.zbatch.cli;

/** The text of {@code ./run.sh help}. */
final class Help {

    static final String TEXT = """
            zbatch: generate images in bulk from hosted Z-Image models

            usage:
              ./run.sh                              run jobs/sample.yml on the embedded sandbox
              ./run.sh run JOB.yml [options]        start a job, or resume it (the same command again resumes)
              ./run.sh run --input FILE [options]   a job without a spec
              ./run.sh estimate JOB.yml [options]   dry run: validate every row, count images, cost and time at
                                                    the configured limits; no network, no key, nothing charged
                                                    (also: run JOB.yml --dry-run; --json for one JSON object)
              ./run.sh retry JOB.yml --failed       send FAILED rows again (also --expired, --unknown)
              ./run.sh status OUTPUT_DIR|JOB.yml    counts by state, spend, times, ETA while running; from the
                                                    ledger, also during a run (--json for one JSON object)
              ./run.sh report OUTPUT_DIR|JOB.yml    write the manifests and the gallery again from the ledger
              ./run.sh bench [--rows N] [--rate N/min | --accounts N/min,M/min] [--latency A-Bs]
                                                    benchmark against the sandbox (see README.md)
              ./run.sh bench-sync [--rows N] [--changed N]
                                                    what re-running a living input costs (see README.md)
              ./run.sh help | version

            options (each overrides the job spec):
              --input FILE        prompt file: .csv, .tsv or .jsonl
              --format F          csv, tsv, jsonl or xlsx, when the extension does not say
              --encoding E        a text file's encoding: auto (the default), windows-1252, utf-16le, ...
              --delimiter D       a CSV file's separator: , (the default) ; | tab, or auto
              --sheet S           a workbook's sheet (default: the first)
              --template T        build prompts from columns, e.g. "Studio photo of {title}, {color}"
              --provider P        sandbox (default: no key, no network), segmind (SEGMIND_API_KEY) or
                                pixazo (PIXAZO_API_KEY)
              --model M           z-image-turbo (default), or z-image-base with pixazo
              --out DIR           output folder (default out/<job name>)
              --name N            the job's name (default: the spec's file name)
              --max-cost USD      the budget cap: nothing is sent that could take the spend above it
              --zbatch.X=V        any property of the job spec, e.g. --zbatch.defaults.width=768,
                                  --zbatch.progress.mode=log (progress lines instead of the bar)

            exit codes: 0 every row has its images; 3 finished, but some rows have none (see the manifest);
                        4 stopped early, resumable (Ctrl-C, key or credit problem); 2 unusable command or
                        configuration (nothing was sent); 1 unexpected error
            """;

    private Help() {
    }
}
