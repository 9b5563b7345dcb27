package io.voicedrop.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Dependencies point inward: the core knows nothing of AWS, HTTP, Micronaut or the adapters that implement it. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages("io.voicedrop");

    @Test
    void theCoreDependsOnNoFrameworkOrAdapter() {
        noClasses().that().resideInAPackage("io.voicedrop.core..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "io.micronaut..",
                        "java.net.http..", "io.voicedrop.adapters..", "io.voicedrop.wiring..", "io.voicedrop.config..")
                .check(classes);
    }

    @Test
    void adaptersDoNotDependOnEachOther() {
        noClasses().that().resideInAPackage("io.voicedrop.adapters.fish..")
                .should().dependOnClassesThat().resideInAPackage("io.voicedrop.adapters.aws..").check(classes);
        noClasses().that().resideInAPackage("io.voicedrop.adapters.aws..")
                .should().dependOnClassesThat().resideInAPackage("io.voicedrop.adapters.fish..").check(classes);
    }

    @Test
    void audioProbingIsPureJava() {
        noClasses().that().resideInAPackage("io.voicedrop.audio..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "io.micronaut..")
                .check(classes);
    }
}
