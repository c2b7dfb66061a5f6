package dev.zbatch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** Which of zbatch's packages may use which (the map in ARCHITECTURE.md), checked on the compiled classes. */
class PackageRulesTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.zbatch");

    @Test
    void noTwoPackagesUseEachOtherEvenThroughOthers() {
        slices().matching("dev.zbatch.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @ParameterizedTest(name = "{0} uses nothing of zbatch but: {1}")
    @CsvSource(delimiter = '|', value = {
            "sandbox | ",
            "config  | ",
            "files   | ",
            "input   | config",
            "request | config input",
            "run     | config input",
    })
    void theFoundationsUseOnlyWhatIsBelowThem(String pkg, String allowed) {
        String[] packages = allowed == null ? new String[0] : Arrays.stream(allowed.split(" "))
                .map(p -> "dev.zbatch." + p + "..").toArray(String[]::new);
        String own = "dev.zbatch." + pkg + "..";
        noClasses().that().resideInAPackage(own)
                .should().dependOnClassesThat(resideInAPackage("dev.zbatch..")
                        .and(resideOutsideOfPackages(concat(own, packages))))
                .check(MAIN);
    }

    @Test
    void onlyTheCommandLineWiresTheJobAndNothingUsesTheCommandLine() {
        noClasses().that().resideOutsideOfPackages("dev.zbatch.cli..", "dev.zbatch.job..")
                .should().dependOnClassesThat(resideInAPackage("dev.zbatch.job.."))
                .check(MAIN);
        noClasses().that().resideOutsideOfPackage("dev.zbatch.cli..")
                .should().dependOnClassesThat(resideInAnyPackage("dev.zbatch.cli.."))
                .check(MAIN);
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
