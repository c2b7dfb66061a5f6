package dev.zbatch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Which of zbatch's packages may use which: the map ARCHITECTURE.md draws, checked on the compiled classes. */
class PackageRulesTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.zbatch");

    @Test
    void theSandboxIsAServerOfItsOwnAndUsesNothingOfZbatch() {
        noClasses().that().resideInAPackage("dev.zbatch.sandbox..")
                .should().dependOnClassesThat(resideInAPackage("dev.zbatch..").and(resideOutsideOfPackage("dev.zbatch.sandbox..")))
                .check(MAIN);
    }
}
