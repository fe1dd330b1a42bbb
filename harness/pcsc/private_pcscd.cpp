#include "private_pcscd.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mynasim::pcsc {

namespace fs = std::filesystem;

PcscPaths::PcscPaths(const fs::path& d)
    : dir(fs::absolute(d)), run_dir(dir / "run"), socket(run_dir / "pcscd.comm"), config_dir(dir / "reader.conf.d"),
      driver(dir / "lib" / "libifdvpcd.so"), log(dir / "pcscd.log") {}

namespace {

[[noreturn]] void fail(const std::string& what) {
    throw EnvironmentError(what + ": " + std::strerror(errno));
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) throw EnvironmentError("cannot write " + path.string());
}

void enter_namespaces() {
    if (::unshare(CLONE_NEWNS | CLONE_NEWNET) == 0) return;
    if (errno != EPERM) fail("unshare(mount, network)");
    // Not root: try an unprivileged user namespace, with ourselves as root inside.
    const uid_t uid = ::getuid();
    const gid_t gid = ::getgid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) != 0)
        fail("unshare(user, mount, network): a private pcscd needs root or unprivileged user namespaces");
    write_file("/proc/self/setgroups", "deny");
    write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
    write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
}

void loopback_up() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("socket for lo");
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(fd, SIOCGIFFLAGS, &request) != 0) fail("reading the flags of lo");
    request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
    if (::ioctl(fd, SIOCSIFFLAGS, &request) != 0) fail("bringing lo up");
    ::close(fd);
}

void mount_or_fail(const char* source, const char* target, const char* type, unsigned long flags, const char* data) {
    if (::mount(source, target, type, flags, data) != 0) fail(std::string("mount on ") + target);
}

}  // namespace

void isolate_process(const PcscPaths& paths) {
    if (!fs::exists(vpcd_driver))
        throw EnvironmentError(std::string("vsmartcard's vpcd driver is missing (") + vpcd_driver +
                               "): apt-get install vsmartcard-vpcd");
    fs::create_directories(paths.run_dir);
    fs::create_directories(paths.config_dir);
    fs::create_directories(paths.driver.parent_path());
    fs::copy_file(vpcd_driver, paths.driver, fs::copy_options::overwrite_existing);
    write_file(paths.config_dir / "vpcd",
               "# mynasim private reader: vpcd on port " + std::to_string(vpcd_port) +
                   " inside this environment's own network namespace\n"
                   "FRIENDLYNAME \"Virtual PCD\"\n"
                   "DEVICENAME   /dev/null:" + std::to_string(vpcd_port) + "\n"
                   "LIBPATH      " + paths.driver.string() + "\n"
                   "CHANNELID    " + std::to_string(vpcd_port) + "\n");

    enter_namespaces();
    // Nothing mounted from here on may leak back to the machine.
    mount_or_fail(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    loopback_up();
    // A private /run with our run directory as /run/pcscd: pid file and socket land in paths.run_dir.
    mount_or_fail("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
    fs::create_directories("/run/pcscd");
    mount_or_fail(paths.run_dir.c_str(), "/run/pcscd", nullptr, MS_BIND, nullptr);
    // Hide the USB reader drivers (our vpcd driver is a private copy).
    if (fs::exists("/usr/lib/pcsc/drivers"))
        mount_or_fail("tmpfs", "/usr/lib/pcsc/drivers", "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "mode=0755");
}

pid_t start_pcscd(const PcscPaths& paths) {
    std::error_code ignored;
    fs::remove(paths.socket, ignored);
    const int log = ::open(paths.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) fail("opening " + paths.log.string());
    const pid_t pid = ::fork();
    if (pid < 0) fail("fork");
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the environment
        ::dup2(log, STDOUT_FILENO);
        ::dup2(log, STDERR_FILENO);
        const int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) ::dup2(null, STDIN_FILENO);
        ::execlp("pcscd", "pcscd", "--foreground", "--config", paths.config_dir.c_str(), static_cast<char*>(nullptr));
        const char message[] = "mynasim: cannot execute pcscd (apt-get install pcscd)\n";
        (void)!::write(STDERR_FILENO, message, sizeof message - 1);
        ::_exit(127);
    }
    ::close(log);
    return pid;
}

}  // namespace mynasim::pcsc
