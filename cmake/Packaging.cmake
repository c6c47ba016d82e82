# `make package`: a Debian package of the ita binary (editions, templates and report data are
# compiled into it; fonts come from fonts-thai-tlwg) with its service, backup timer, first-run
# script, configuration and the nginx example (packaging/, docs/deploy.md).
include(GNUInstallDirs)
set(ITA_PKG ${PROJECT_SOURCE_DIR}/packaging)

install(TARGETS ita RUNTIME DESTINATION bin)
install(PROGRAMS ${ITA_PKG}/openita-setup DESTINATION sbin)
install(PROGRAMS ${ITA_PKG}/openita-backup ${ITA_PKG}/openita-wait-ready DESTINATION lib/openita)
install(FILES ${ITA_PKG}/systemd/openita.service ${ITA_PKG}/systemd/openita-backup.service
              ${ITA_PKG}/systemd/openita-backup.timer
        DESTINATION lib/systemd/system)
install(FILES ${ITA_PKG}/openita.conf DESTINATION /etc/openita)
install(FILES ${PROJECT_SOURCE_DIR}/docs/deploy.md ${PROJECT_SOURCE_DIR}/docs/operations.md
              ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION share/doc/openita)
install(FILES ${ITA_PKG}/nginx/openita.conf DESTINATION share/doc/openita/examples
        RENAME nginx-openita.conf)

# The package's version: the project's, or ITA_PACKAGE_VERSION (the upgrade test builds N+1).
set(ITA_PACKAGE_VERSION ${PROJECT_VERSION} CACHE STRING "Version of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME openita)
set(CPACK_PACKAGE_VERSION ${ITA_PACKAGE_VERSION})
set(CPACK_PACKAGE_CONTACT "OpenITA maintainers <openita@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Thailand's Integrity and Transparency Assessment (ITA), end to end")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # the shared libraries' packages, found by dpkg-shlibdeps
# poppler-utils: the OIT readiness check reads PDF evidence with pdftotext (io/document_text).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-thai-tlwg, poppler-utils, curl, adduser, util-linux")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nginx, postgresql-client")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${ITA_PKG}/debian/postinst ${ITA_PKG}/debian/prerm ${ITA_PKG}/debian/postrm
    ${ITA_PKG}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
