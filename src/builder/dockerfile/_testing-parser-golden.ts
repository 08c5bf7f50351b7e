// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell syntax under test
/**
 * Golden cases from BuildKit's frontend/dockerfile/parser/testfiles/<case>/{Dockerfile,result}:
 * the Dockerfile text and the expected AST dump (Node.Dump), one instruction per line.
 */
export const PARSER_GOLDEN: readonly { name: string; dockerfile: string; dump: string }[] = [
  {
    name: "ADD-COPY-with-JSON",
    dockerfile:
      'FROM\tubuntu:14.04\nLABEL\tmaintainer\tSeongyeol Lim <seongyeol37@gmail.com>\n\nCOPY\t.\t/go/src/github.com/docker/docker\nADD\t\t.\t/\nADD\t\tnull /\nCOPY\tnullfile /tmp\nADD\t\t[ "vimrc", "/tmp" ]\nCOPY\t[ "bashrc", "/tmp" ]\nCOPY\t[ "test file", "/tmp" ]\nADD\t\t[ "test file", "/tmp/test file" ]\n',
    dump: '(from "ubuntu:14.04")\n(label "maintainer" "Seongyeol Lim <seongyeol37@gmail.com>" "")\n(copy "." "/go/src/github.com/docker/docker")\n(add "." "/")\n(add "null" "/")\n(copy "nullfile" "/tmp")\n(add "vimrc" "/tmp")\n(copy "bashrc" "/tmp")\n(copy "test file" "/tmp")\n(add "test file" "/tmp/test file")',
  },
  {
    name: "args",
    dockerfile: 'ARG foo bar=baz\nFROM ubuntu\nARG abc="123 456" def\n',
    dump: '(arg "foo" "bar=baz")\n(from "ubuntu")\n(arg "abc=\\"123 456\\"" "def")',
  },
  {
    name: "brimstone-consuldock",
    dockerfile:
      "#escape=\\\nFROM brimstone/ubuntu:14.04\n\nLABEL maintainer brimstone@the.narro.ws\n\n# TORUN -v /var/run/docker.sock:/var/run/docker.sock\n\nENV GOPATH /go\n\n# Set our command\nENTRYPOINT [\"/usr/local/bin/consuldock\"]\n\n# Install the packages we need, clean up after them and us\nRUN apt-get update \\\n\t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.clean \\\n    && apt-get --no-install-recommends install -y git golang ca-certificates \\\n    && apt-get clean \\\n    && rm -rf /var/lib/apt/lists \\\n\n\t&& go get -v github.com/brimstone/consuldock \\\n    && mv $GOPATH/bin/consuldock /usr/local/bin/consuldock \\\n\n\t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.dirty \\\n\t&& apt-get remove --purge -y $(diff /tmp/dpkg.clean /tmp/dpkg.dirty | awk '/^>/ {print $2}') \\\n\t&& rm /tmp/dpkg.* \\\n\t&& rm -rf $GOPATH\n",
    dump: '(from "brimstone/ubuntu:14.04")\n(label "maintainer" "brimstone@the.narro.ws" "")\n(env "GOPATH" "/go" "")\n(entrypoint "/usr/local/bin/consuldock")\n(run "apt-get update \\t&& dpkg -l | awk \'/^ii/ {print $2}\' > /tmp/dpkg.clean     && apt-get --no-install-recommends install -y git golang ca-certificates     && apt-get clean     && rm -rf /var/lib/apt/lists \\t&& go get -v github.com/brimstone/consuldock     && mv $GOPATH/bin/consuldock /usr/local/bin/consuldock \\t&& dpkg -l | awk \'/^ii/ {print $2}\' > /tmp/dpkg.dirty \\t&& apt-get remove --purge -y $(diff /tmp/dpkg.clean /tmp/dpkg.dirty | awk \'/^>/ {print $2}\') \\t&& rm /tmp/dpkg.* \\t&& rm -rf $GOPATH")',
  },
  {
    name: "brimstone-docker-consul",
    dockerfile:
      "FROM brimstone/ubuntu:14.04\n\nCMD []\n\nENTRYPOINT [\"/usr/bin/consul\", \"agent\", \"-server\", \"-data-dir=/consul\", \"-client=0.0.0.0\", \"-ui-dir=/webui\"]\n\nEXPOSE 8500 8600 8400 8301 8302\n\nRUN apt-get update \\\n    && apt-get --no-install-recommends install -y unzip wget \\\n\t&& apt-get clean \\\n\t&& rm -rf /var/lib/apt/lists\n\nRUN cd /tmp \\\n    && wget https://dl.bintray.com/mitchellh/consul/0.3.1_web_ui.zip \\\n       -O web_ui.zip \\\n    && unzip web_ui.zip \\\n    && mv dist /webui \\\n    && rm web_ui.zip\n\nRUN apt-get update \\\n\t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.clean \\\n    && apt-get --no-install-recommends install -y unzip wget \\\n    && apt-get clean \\\n    && rm -rf /var/lib/apt/lists \\\n\n    && cd /tmp \\\n    && wget https://dl.bintray.com/mitchellh/consul/0.3.1_web_ui.zip \\\n       -O web_ui.zip \\\n    && unzip web_ui.zip \\\n    && mv dist /webui \\\n    && rm web_ui.zip \\\n\n\t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.dirty \\\n\t&& apt-get remove --purge -y $(diff /tmp/dpkg.clean /tmp/dpkg.dirty | awk '/^>/ {print $2}') \\\n\t&& rm /tmp/dpkg.*\n\nENV GOPATH /go\n\nRUN apt-get update \\\n\t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.clean \\\n    && apt-get --no-install-recommends install -y git golang ca-certificates build-essential \\\n    && apt-get clean \\\n    && rm -rf /var/lib/apt/lists \\\n\n\t&& go get -v github.com/hashicorp/consul \\\n\t&& mv $GOPATH/bin/consul /usr/bin/consul \\\n\n\t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.dirty \\\n\t&& apt-get remove --purge -y $(diff /tmp/dpkg.clean /tmp/dpkg.dirty | awk '/^>/ {print $2}') \\\n\t&& rm /tmp/dpkg.* \\\n\t&& rm -rf $GOPATH\n",
    dump: '(from "brimstone/ubuntu:14.04")\n(cmd)\n(entrypoint "/usr/bin/consul" "agent" "-server" "-data-dir=/consul" "-client=0.0.0.0" "-ui-dir=/webui")\n(expose "8500" "8600" "8400" "8301" "8302")\n(run "apt-get update     && apt-get --no-install-recommends install -y unzip wget \\t&& apt-get clean \\t&& rm -rf /var/lib/apt/lists")\n(run "cd /tmp     && wget https://dl.bintray.com/mitchellh/consul/0.3.1_web_ui.zip        -O web_ui.zip     && unzip web_ui.zip     && mv dist /webui     && rm web_ui.zip")\n(run "apt-get update \\t&& dpkg -l | awk \'/^ii/ {print $2}\' > /tmp/dpkg.clean     && apt-get --no-install-recommends install -y unzip wget     && apt-get clean     && rm -rf /var/lib/apt/lists     && cd /tmp     && wget https://dl.bintray.com/mitchellh/consul/0.3.1_web_ui.zip        -O web_ui.zip     && unzip web_ui.zip     && mv dist /webui     && rm web_ui.zip \\t&& dpkg -l | awk \'/^ii/ {print $2}\' > /tmp/dpkg.dirty \\t&& apt-get remove --purge -y $(diff /tmp/dpkg.clean /tmp/dpkg.dirty | awk \'/^>/ {print $2}\') \\t&& rm /tmp/dpkg.*")\n(env "GOPATH" "/go" "")\n(run "apt-get update \\t&& dpkg -l | awk \'/^ii/ {print $2}\' > /tmp/dpkg.clean     && apt-get --no-install-recommends install -y git golang ca-certificates build-essential     && apt-get clean     && rm -rf /var/lib/apt/lists \\t&& go get -v github.com/hashicorp/consul \\t&& mv $GOPATH/bin/consul /usr/bin/consul \\t&& dpkg -l | awk \'/^ii/ {print $2}\' > /tmp/dpkg.dirty \\t&& apt-get remove --purge -y $(diff /tmp/dpkg.clean /tmp/dpkg.dirty | awk \'/^>/ {print $2}\') \\t&& rm /tmp/dpkg.* \\t&& rm -rf $GOPATH")',
  },
  {
    name: "continue-at-eof",
    dockerfile: "FROM alpine:3.5\n\nRUN something \\",
    dump: '(from "alpine:3.5")\n(run "something")',
  },
  {
    name: "continueIndent",
    dockerfile:
      "FROM ubuntu:14.04\n\nRUN echo hello\\\n  world\\\n  goodnight  \\\n  moon\\\n  light\\\nning\nRUN echo hello  \\\n  world\nRUN echo hello  \\\nworld\nRUN echo hello \\\ngoodbye\\\nfrog\nRUN echo hello  \\  \nworld\nRUN echo hi \\\n \\\n world \\\n\\\n good\\\n\\\nnight\nRUN echo goodbye\\\nfrog\nRUN echo good\\\nbye\\\nfrog\n\nRUN echo hello \\\n# this is a comment\n\n# this is a comment with a blank line surrounding it\n\nthis is some more useful stuff\n",
    dump: '(from "ubuntu:14.04")\n(run "echo hello  world  goodnight    moon  lightning")\n(run "echo hello    world")\n(run "echo hello  world")\n(run "echo hello goodbyefrog")\n(run "echo hello  world")\n(run "echo hi   world  goodnight")\n(run "echo goodbyefrog")\n(run "echo goodbyefrog")\n(run "echo hello this is some more useful stuff")',
  },
  {
    name: "cpuguy83-nagios",
    dockerfile:
      'FROM cpuguy83/ubuntu\nENV NAGIOS_HOME /opt/nagios\nENV NAGIOS_USER nagios\nENV NAGIOS_GROUP nagios\nENV NAGIOS_CMDUSER nagios\nENV NAGIOS_CMDGROUP nagios\nENV NAGIOSADMIN_USER nagiosadmin\nENV NAGIOSADMIN_PASS nagios\nENV APACHE_RUN_USER nagios\nENV APACHE_RUN_GROUP nagios\nENV NAGIOS_TIMEZONE UTC\n\nRUN sed -i \'s/universe/universe multiverse/\' /etc/apt/sources.list\nRUN apt-get update && apt-get --no-install-recommends install -y iputils-ping netcat build-essential snmp snmpd snmp-mibs-downloader php5-cli apache2 libapache2-mod-php5 runit bc postfix bsd-mailx\nRUN ( egrep -i  "^${NAGIOS_GROUP}" /etc/group || groupadd $NAGIOS_GROUP ) && ( egrep -i "^${NAGIOS_CMDGROUP}" /etc/group || groupadd $NAGIOS_CMDGROUP )\nRUN ( id -u $NAGIOS_USER || useradd --system $NAGIOS_USER -g $NAGIOS_GROUP -d $NAGIOS_HOME ) && ( id -u $NAGIOS_CMDUSER || useradd --system -d $NAGIOS_HOME -g $NAGIOS_CMDGROUP $NAGIOS_CMDUSER )\n\nADD http://downloads.sourceforge.net/project/nagios/nagios-3.x/nagios-3.5.1/nagios-3.5.1.tar.gz?r=http%3A%2F%2Fwww.nagios.org%2Fdownload%2Fcore%2Fthanks%2F%3Ft%3D1398863696&ts=1398863718&use_mirror=superb-dca3 /tmp/nagios.tar.gz\nRUN cd /tmp && tar -zxvf nagios.tar.gz && cd nagios  && ./configure --prefix=${NAGIOS_HOME} --exec-prefix=${NAGIOS_HOME} --enable-event-broker --with-nagios-command-user=${NAGIOS_CMDUSER} --with-command-group=${NAGIOS_CMDGROUP} --with-nagios-user=${NAGIOS_USER} --with-nagios-group=${NAGIOS_GROUP} && make all && make install && make install-config && make install-commandmode && cp sample-config/httpd.conf /etc/apache2/conf.d/nagios.conf\nADD http://www.nagios-plugins.org/download/nagios-plugins-1.5.tar.gz /tmp/\nRUN cd /tmp && tar -zxvf nagios-plugins-1.5.tar.gz && cd nagios-plugins-1.5 && ./configure --prefix=${NAGIOS_HOME} && make && make install\n\nRUN sed -i.bak \'s/.*\\=www\\-data//g\' /etc/apache2/envvars\nRUN export DOC_ROOT="DocumentRoot $(echo $NAGIOS_HOME/share)"; sed -i "s,DocumentRoot.*,$DOC_ROOT," /etc/apache2/sites-enabled/000-default\n\nRUN ln -s ${NAGIOS_HOME}/bin/nagios /usr/local/bin/nagios && mkdir -p /usr/share/snmp/mibs && chmod 0755 /usr/share/snmp/mibs && touch /usr/share/snmp/mibs/.foo\n\nRUN echo "use_timezone=$NAGIOS_TIMEZONE" >> ${NAGIOS_HOME}/etc/nagios.cfg && echo "SetEnv TZ \\"${NAGIOS_TIMEZONE}\\"" >> /etc/apache2/conf.d/nagios.conf\n\nRUN mkdir -p ${NAGIOS_HOME}/etc/conf.d && mkdir -p ${NAGIOS_HOME}/etc/monitor && ln -s /usr/share/snmp/mibs ${NAGIOS_HOME}/libexec/mibs\nRUN echo "cfg_dir=${NAGIOS_HOME}/etc/conf.d" >> ${NAGIOS_HOME}/etc/nagios.cfg\nRUN echo "cfg_dir=${NAGIOS_HOME}/etc/monitor" >> ${NAGIOS_HOME}/etc/nagios.cfg\nRUN download-mibs && echo "mibs +ALL" > /etc/snmp/snmp.conf\n\nRUN sed -i \'s,/bin/mail,/usr/bin/mail,\' /opt/nagios/etc/objects/commands.cfg && \\\n  sed -i \'s,/usr/usr,/usr,\' /opt/nagios/etc/objects/commands.cfg\nRUN cp /etc/services /var/spool/postfix/etc/\n\nRUN mkdir -p /etc/sv/nagios && mkdir -p /etc/sv/apache && rm -rf /etc/sv/getty-5 && mkdir -p /etc/sv/postfix\nADD nagios.init /etc/sv/nagios/run\nADD apache.init /etc/sv/apache/run\nADD postfix.init /etc/sv/postfix/run\nADD postfix.stop /etc/sv/postfix/finish\n\nADD start.sh /usr/local/bin/start_nagios\n\nENV APACHE_LOCK_DIR /var/run\nENV APACHE_LOG_DIR /var/log/apache2\n\nEXPOSE 80\n\nVOLUME ["/opt/nagios/var", "/opt/nagios/etc", "/opt/nagios/libexec", "/var/log/apache2", "/usr/share/snmp/mibs"]\n\nCMD ["/usr/local/bin/start_nagios"]\n',
    dump: '(from "cpuguy83/ubuntu")\n(env "NAGIOS_HOME" "/opt/nagios" "")\n(env "NAGIOS_USER" "nagios" "")\n(env "NAGIOS_GROUP" "nagios" "")\n(env "NAGIOS_CMDUSER" "nagios" "")\n(env "NAGIOS_CMDGROUP" "nagios" "")\n(env "NAGIOSADMIN_USER" "nagiosadmin" "")\n(env "NAGIOSADMIN_PASS" "nagios" "")\n(env "APACHE_RUN_USER" "nagios" "")\n(env "APACHE_RUN_GROUP" "nagios" "")\n(env "NAGIOS_TIMEZONE" "UTC" "")\n(run "sed -i \'s/universe/universe multiverse/\' /etc/apt/sources.list")\n(run "apt-get update && apt-get --no-install-recommends install -y iputils-ping netcat build-essential snmp snmpd snmp-mibs-downloader php5-cli apache2 libapache2-mod-php5 runit bc postfix bsd-mailx")\n(run "( egrep -i  \\"^${NAGIOS_GROUP}\\" /etc/group || groupadd $NAGIOS_GROUP ) && ( egrep -i \\"^${NAGIOS_CMDGROUP}\\" /etc/group || groupadd $NAGIOS_CMDGROUP )")\n(run "( id -u $NAGIOS_USER || useradd --system $NAGIOS_USER -g $NAGIOS_GROUP -d $NAGIOS_HOME ) && ( id -u $NAGIOS_CMDUSER || useradd --system -d $NAGIOS_HOME -g $NAGIOS_CMDGROUP $NAGIOS_CMDUSER )")\n(add "http://downloads.sourceforge.net/project/nagios/nagios-3.x/nagios-3.5.1/nagios-3.5.1.tar.gz?r=http%3A%2F%2Fwww.nagios.org%2Fdownload%2Fcore%2Fthanks%2F%3Ft%3D1398863696&ts=1398863718&use_mirror=superb-dca3" "/tmp/nagios.tar.gz")\n(run "cd /tmp && tar -zxvf nagios.tar.gz && cd nagios  && ./configure --prefix=${NAGIOS_HOME} --exec-prefix=${NAGIOS_HOME} --enable-event-broker --with-nagios-command-user=${NAGIOS_CMDUSER} --with-command-group=${NAGIOS_CMDGROUP} --with-nagios-user=${NAGIOS_USER} --with-nagios-group=${NAGIOS_GROUP} && make all && make install && make install-config && make install-commandmode && cp sample-config/httpd.conf /etc/apache2/conf.d/nagios.conf")\n(add "http://www.nagios-plugins.org/download/nagios-plugins-1.5.tar.gz" "/tmp/")\n(run "cd /tmp && tar -zxvf nagios-plugins-1.5.tar.gz && cd nagios-plugins-1.5 && ./configure --prefix=${NAGIOS_HOME} && make && make install")\n(run "sed -i.bak \'s/.*\\\\=www\\\\-data//g\' /etc/apache2/envvars")\n(run "export DOC_ROOT=\\"DocumentRoot $(echo $NAGIOS_HOME/share)\\"; sed -i \\"s,DocumentRoot.*,$DOC_ROOT,\\" /etc/apache2/sites-enabled/000-default")\n(run "ln -s ${NAGIOS_HOME}/bin/nagios /usr/local/bin/nagios && mkdir -p /usr/share/snmp/mibs && chmod 0755 /usr/share/snmp/mibs && touch /usr/share/snmp/mibs/.foo")\n(run "echo \\"use_timezone=$NAGIOS_TIMEZONE\\" >> ${NAGIOS_HOME}/etc/nagios.cfg && echo \\"SetEnv TZ \\\\\\"${NAGIOS_TIMEZONE}\\\\\\"\\" >> /etc/apache2/conf.d/nagios.conf")\n(run "mkdir -p ${NAGIOS_HOME}/etc/conf.d && mkdir -p ${NAGIOS_HOME}/etc/monitor && ln -s /usr/share/snmp/mibs ${NAGIOS_HOME}/libexec/mibs")\n(run "echo \\"cfg_dir=${NAGIOS_HOME}/etc/conf.d\\" >> ${NAGIOS_HOME}/etc/nagios.cfg")\n(run "echo \\"cfg_dir=${NAGIOS_HOME}/etc/monitor\\" >> ${NAGIOS_HOME}/etc/nagios.cfg")\n(run "download-mibs && echo \\"mibs +ALL\\" > /etc/snmp/snmp.conf")\n(run "sed -i \'s,/bin/mail,/usr/bin/mail,\' /opt/nagios/etc/objects/commands.cfg &&   sed -i \'s,/usr/usr,/usr,\' /opt/nagios/etc/objects/commands.cfg")\n(run "cp /etc/services /var/spool/postfix/etc/")\n(run "mkdir -p /etc/sv/nagios && mkdir -p /etc/sv/apache && rm -rf /etc/sv/getty-5 && mkdir -p /etc/sv/postfix")\n(add "nagios.init" "/etc/sv/nagios/run")\n(add "apache.init" "/etc/sv/apache/run")\n(add "postfix.init" "/etc/sv/postfix/run")\n(add "postfix.stop" "/etc/sv/postfix/finish")\n(add "start.sh" "/usr/local/bin/start_nagios")\n(env "APACHE_LOCK_DIR" "/var/run" "")\n(env "APACHE_LOG_DIR" "/var/log/apache2" "")\n(expose "80")\n(volume "/opt/nagios/var" "/opt/nagios/etc" "/opt/nagios/libexec" "/var/log/apache2" "/usr/share/snmp/mibs")\n(cmd "/usr/local/bin/start_nagios")',
  },
  {
    name: "docker",
    dockerfile:
      "# This file describes the standard way to build Docker, using docker\n#\n# Usage:\n#\n# # Assemble the full dev environment. This is slow the first time.\n# docker build -t docker .\n#\n# # Mount your source in an interactive container for quick testing:\n# docker run -v `pwd`:/go/src/github.com/docker/docker --privileged -i -t docker bash\n#\n# # Run the test suite:\n# docker run --privileged docker hack/make.sh test-unit test-integration test-docker-py\n#\n# Note: AppArmor used to mess with privileged mode, but this is no longer\n# the case. Therefore, you don't have to disable it anymore.\n#\n\nFROM\tubuntu:14.04\nLABEL\tmaintainer\tTianon Gravi <admwiggin@gmail.com> (@tianon)\n\n# Packaged dependencies\nRUN\tapt-get update && DEBIAN_FRONTEND=noninteractive apt-get --no-install-recommends install -yq \\\n\tapt-utils \\\n\taufs-tools \\\n\tautomake \\\n\tbtrfs-tools \\\n\tbuild-essential \\\n\tcurl \\\n\tdpkg-sig \\\n\tgit \\\n\tiptables \\\n\tlibapparmor-dev \\\n\tlibcap-dev \\\n\tmercurial \\\n\tpandoc \\\n\tparallel \\\n\treprepro \\\n\truby1.9.1 \\\n\truby1.9.1-dev \\\n\ts3cmd=1.1.0* \\\n\t--no-install-recommends\n\n# Get lvm2 source for compiling statically\nRUN\tgit clone --no-checkout https://git.fedorahosted.org/git/lvm2.git /usr/local/lvm2 && cd /usr/local/lvm2 && git checkout -q v2_02_103\n# see https://git.fedorahosted.org/cgit/lvm2.git/refs/tags for release tags\n# note: we don't use \"git clone -b\" above because it then spews big nasty warnings about 'detached HEAD' state that we can't silence as easily as we can silence them using \"git checkout\" directly\n\n# Compile and install lvm2\nRUN\tcd /usr/local/lvm2 && ./configure --enable-static_link && make device-mapper && make install_device-mapper\n# see https://git.fedorahosted.org/cgit/lvm2.git/tree/INSTALL\n\n# Install Go\nRUN\tcurl -sSL https://golang.org/dl/go1.3.src.tar.gz | tar -v -C /usr/local -xz\nENV\tPATH\t/usr/local/go/bin:$PATH\nENV\tGOPATH\t/go:/go/src/github.com/docker/docker/vendor\nRUN\tcd /usr/local/go/src && ./make.bash --no-clean 2>&1\n\n# Compile Go for cross compilation\nENV\tDOCKER_CROSSPLATFORMS\t\\\n\tlinux/386 linux/arm \\\n\tdarwin/amd64 darwin/386 \\\n\tfreebsd/amd64 freebsd/386 freebsd/arm\n# (set an explicit GOARM of 5 for maximum compatibility)\nENV\tGOARM\t5\nRUN\tcd /usr/local/go/src && bash -xc 'for platform in $DOCKER_CROSSPLATFORMS; do GOOS=${platform%/*} GOARCH=${platform##*/} ./make.bash --no-clean 2>&1; done'\n\n# Grab Go's cover tool for dead-simple code coverage testing\nRUN\tgo get golang.org/x/tools/cmd/cover\n\n# TODO replace FPM with some very minimal debhelper stuff\nRUN\tgem install --no-rdoc --no-ri fpm --version 1.0.2\n\n# Get the \"busybox\" image source so we can build locally instead of pulling\nRUN\tgit clone -b buildroot-2014.02 https://github.com/jpetazzo/docker-busybox.git /docker-busybox\n\n# Setup s3cmd config\nRUN\t/bin/echo -e '[default]\\naccess_key=$AWS_ACCESS_KEY\\nsecret_key=$AWS_SECRET_KEY' > /.s3cfg\n\n# Set user.email so crosbymichael's in-container merge commits go smoothly\nRUN\tgit config --global user.email 'docker-dummy@example.com'\n\n# Add an unprivileged user to be used for tests which need it\nRUN groupadd -r docker\nRUN useradd --create-home --gid docker unprivilegeduser\n\nVOLUME\t/var/lib/docker\nWORKDIR\t/go/src/github.com/docker/docker\nENV\tDOCKER_BUILDTAGS\tapparmor selinux\n\n# Wrap all commands in the \"docker-in-docker\" script to allow nested containers\nENTRYPOINT\t[\"hack/dind\"]\n\n# Upload docker source\nCOPY\t.\t/go/src/github.com/docker/docker\n",
    dump: '(from "ubuntu:14.04")\n(label "maintainer" "Tianon Gravi <admwiggin@gmail.com> (@tianon)" "")\n(run "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get --no-install-recommends install -yq \\tapt-utils \\taufs-tools \\tautomake \\tbtrfs-tools \\tbuild-essential \\tcurl \\tdpkg-sig \\tgit \\tiptables \\tlibapparmor-dev \\tlibcap-dev \\tmercurial \\tpandoc \\tparallel \\treprepro \\truby1.9.1 \\truby1.9.1-dev \\ts3cmd=1.1.0* \\t--no-install-recommends")\n(run "git clone --no-checkout https://git.fedorahosted.org/git/lvm2.git /usr/local/lvm2 && cd /usr/local/lvm2 && git checkout -q v2_02_103")\n(run "cd /usr/local/lvm2 && ./configure --enable-static_link && make device-mapper && make install_device-mapper")\n(run "curl -sSL https://golang.org/dl/go1.3.src.tar.gz | tar -v -C /usr/local -xz")\n(env "PATH" "/usr/local/go/bin:$PATH" "")\n(env "GOPATH" "/go:/go/src/github.com/docker/docker/vendor" "")\n(run "cd /usr/local/go/src && ./make.bash --no-clean 2>&1")\n(env "DOCKER_CROSSPLATFORMS" "linux/386 linux/arm \\tdarwin/amd64 darwin/386 \\tfreebsd/amd64 freebsd/386 freebsd/arm" "")\n(env "GOARM" "5" "")\n(run "cd /usr/local/go/src && bash -xc \'for platform in $DOCKER_CROSSPLATFORMS; do GOOS=${platform%/*} GOARCH=${platform##*/} ./make.bash --no-clean 2>&1; done\'")\n(run "go get golang.org/x/tools/cmd/cover")\n(run "gem install --no-rdoc --no-ri fpm --version 1.0.2")\n(run "git clone -b buildroot-2014.02 https://github.com/jpetazzo/docker-busybox.git /docker-busybox")\n(run "/bin/echo -e \'[default]\\\\naccess_key=$AWS_ACCESS_KEY\\\\nsecret_key=$AWS_SECRET_KEY\' > /.s3cfg")\n(run "git config --global user.email \'docker-dummy@example.com\'")\n(run "groupadd -r docker")\n(run "useradd --create-home --gid docker unprivilegeduser")\n(volume "/var/lib/docker")\n(workdir "/go/src/github.com/docker/docker")\n(env "DOCKER_BUILDTAGS" "apparmor selinux" "")\n(entrypoint "hack/dind")\n(copy "." "/go/src/github.com/docker/docker")',
  },
  {
    name: "env",
    dockerfile:
      'FROM ubuntu\nENV name value\nENV name=value\nENV name=value name2=value2\nENV name="value value1"\nENV name=value\\ value2\nENV name="value\'quote space\'value2"\nENV name=\'value"double quote"value2\'\nENV name=value\\ value2 name2=value2\\ value3\nENV name="a\\"b"\nENV name="a\\\'b"\nENV name=\'a\\\'b\'\nENV name=\'a\\\'b\'\'\nENV name=\'a\\"b\'\nENV name="\'\'"\n# don\'t put anything after the next line - it must be the last line of the\n# Dockerfile and it must end with \\\nENV name=value \\\n    name1=value1 \\\n    name2="value2a \\\n           value2b" \\\n    name3="value3a\\n\\"value3b\\"" \\\n\tname4="value4a\\\\nvalue4b" \\\n',
    dump: '(from "ubuntu")\n(env "name" "value" "")\n(env "name" "value" "=")\n(env "name" "value" "=" "name2" "value2" "=")\n(env "name" "\\"value value1\\"" "=")\n(env "name" "value\\\\ value2" "=")\n(env "name" "\\"value\'quote space\'value2\\"" "=")\n(env "name" "\'value\\"double quote\\"value2\'" "=")\n(env "name" "value\\\\ value2" "=" "name2" "value2\\\\ value3" "=")\n(env "name" "\\"a\\\\\\"b\\"" "=")\n(env "name" "\\"a\\\\\'b\\"" "=")\n(env "name" "\'a\\\\\'b\'" "=")\n(env "name" "\'a\\\\\'b\'\'" "=")\n(env "name" "\'a\\\\\\"b\'" "=")\n(env "name" "\\"\'\'\\"" "=")\n(env "name" "value" "=" "name1" "value1" "=" "name2" "\\"value2a            value2b\\"" "=" "name3" "\\"value3a\\\\n\\\\\\"value3b\\\\\\"\\"" "=" "name4" "\\"value4a\\\\\\\\nvalue4b\\"" "=")',
  },
  {
    name: "escape-after-comment",
    dockerfile:
      "# Comment here. Should not be looking for the following parser directive.\n# Hence the following line will be ignored, and the subsequent backslash\n# continuation will be the default.\n# escape = `\n\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH \\\n\\go",
    dump: '(from "image")\n(label "maintainer" "foo@bar.com" "")\n(env "GOPATH" "\\\\go" "")',
  },
  {
    name: "escape-nonewline",
    dockerfile:
      "# escape = `\n# There is no white space line after the directives. This still succeeds, but goes\n# against best practices.\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH `\n\\go\n",
    dump: '(from "image")\n(label "maintainer" "foo@bar.com" "")\n(env "GOPATH" "\\\\go" "")',
  },
  {
    name: "escape-with-syntax",
    dockerfile: "# syntax = docker/dockerfile\n# escape = `\n\nFROM `\n    image\n",
    dump: '(from "image")',
  },
  {
    name: "escape",
    dockerfile: "#escape = `\n\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH `\n\\go",
    dump: '(from "image")\n(label "maintainer" "foo@bar.com" "")\n(env "GOPATH" "\\\\go" "")',
  },
  {
    name: "escapes",
    dockerfile:
      'FROM ubuntu:14.04\nLABEL maintainer Erik \\\\Hollensbe <erik@hollensbe.org>\\"\n\nRUN apt-get \\update && \\\n  apt-get \\"install znc -y\nADD \\conf\\\\" /.znc\n\nRUN foo \\\n\nbar \\\n\nbaz\n\nCMD [ "\\/usr\\\\\\"/bin/znc", "-f", "-r" ]\n',
    dump: '(from "ubuntu:14.04")\n(label "maintainer" "Erik \\\\\\\\Hollensbe <erik@hollensbe.org>\\\\\\"" "")\n(run "apt-get \\\\update &&   apt-get \\\\\\"install znc -y")\n(add "\\\\conf\\\\\\\\\\"" "/.znc")\n(run "foo bar baz")\n(cmd "/usr\\\\\\"/bin/znc" "-f" "-r")',
  },
  {
    name: "flags",
    dockerfile:
      'FROM scratch\nCOPY foo /tmp/\nCOPY --user=me foo /tmp/\nCOPY --doit=true foo /tmp/\nCOPY --user=me --doit=true foo /tmp/\nCOPY --doit=true -- foo /tmp/\nCOPY -- foo /tmp/\nCMD --doit [ "a", "b" ]\nCMD --doit=true -- [ "a", "b" ]\nCMD --doit -- [ ]\n',
    dump: '(from "scratch")\n(copy "foo" "/tmp/")\n(copy ["--user=me"] "foo" "/tmp/")\n(copy ["--doit=true"] "foo" "/tmp/")\n(copy ["--user=me" "--doit=true"] "foo" "/tmp/")\n(copy ["--doit=true"] "foo" "/tmp/")\n(copy "foo" "/tmp/")\n(cmd ["--doit"] "a" "b")\n(cmd ["--doit=true"] "a" "b")\n(cmd ["--doit"])',
  },
  {
    name: "health",
    dockerfile:
      'FROM debian\nADD check.sh main.sh /app/\nCMD /app/main.sh\nHEALTHCHECK\nHEALTHCHECK --interval=5s --timeout=3s --retries=3 \\\n  CMD /app/check.sh --quiet\nHEALTHCHECK CMD\nHEALTHCHECK   CMD   a b\nHEALTHCHECK --timeout=3s CMD ["foo"]\nHEALTHCHECK CONNECT TCP 7000\nHEALTHCHECK --start-period=0s --start-interval=0s --interval=5s --timeout=0s --retries=0 CMD ["foo"]\n',
    dump: '(from "debian")\n(add "check.sh" "main.sh" "/app/")\n(cmd "/app/main.sh")\n(healthcheck)\n(healthcheck ["--interval=5s" "--timeout=3s" "--retries=3"] "CMD" "/app/check.sh --quiet")\n(healthcheck "CMD")\n(healthcheck "CMD" "a b")\n(healthcheck ["--timeout=3s"] "CMD" "foo")\n(healthcheck "CONNECT" "TCP 7000")\n(healthcheck ["--start-period=0s" "--start-interval=0s" "--interval=5s" "--timeout=0s" "--retries=0"] "CMD" "foo")',
  },
  {
    name: "influxdb",
    dockerfile:
      "FROM ubuntu:14.04\n\nRUN apt-get update && apt-get install wget -y\nRUN wget http://s3.amazonaws.com/influxdb/influxdb_latest_amd64.deb\nRUN dpkg -i influxdb_latest_amd64.deb\nRUN rm -r /opt/influxdb/shared\n\nVOLUME /opt/influxdb/shared\n\nCMD /usr/bin/influxdb --pidfile /var/run/influxdb.pid -config /opt/influxdb/shared/config.toml\n\nEXPOSE 8083\nEXPOSE 8086\nEXPOSE 8090\nEXPOSE 8099\n",
    dump: '(from "ubuntu:14.04")\n(run "apt-get update && apt-get install wget -y")\n(run "wget http://s3.amazonaws.com/influxdb/influxdb_latest_amd64.deb")\n(run "dpkg -i influxdb_latest_amd64.deb")\n(run "rm -r /opt/influxdb/shared")\n(volume "/opt/influxdb/shared")\n(cmd "/usr/bin/influxdb --pidfile /var/run/influxdb.pid -config /opt/influxdb/shared/config.toml")\n(expose "8083")\n(expose "8086")\n(expose "8090")\n(expose "8099")',
  },
  {
    name: "jeztah-invalid-json-json-inside-string-double",
    dockerfile: 'CMD "[\\"echo\\", \\"Phew, I just managed to escaped those double quotes\\"]"\n',
    dump: '(cmd "\\"[\\\\\\"echo\\\\\\", \\\\\\"Phew, I just managed to escaped those double quotes\\\\\\"]\\"")',
  },
  {
    name: "jeztah-invalid-json-json-inside-string",
    dockerfile: 'CMD \'["echo", "Well, JSON in a string is JSON too?"]\'\n',
    dump: '(cmd "\'[\\"echo\\", \\"Well, JSON in a string is JSON too?\\"]\'")',
  },
  {
    name: "jeztah-invalid-json-single-quotes",
    dockerfile: "CMD ['echo','single quotes are invalid JSON']\n",
    dump: "(cmd \"['echo','single quotes are invalid JSON']\")",
  },
  {
    name: "jeztah-invalid-json-unterminated-bracket",
    dockerfile: 'CMD ["echo", "Please, close the brackets when you\'re done"\n',
    dump: '(cmd "[\\"echo\\", \\"Please, close the brackets when you\'re done\\"")',
  },
  {
    name: "jeztah-invalid-json-unterminated-string",
    dockerfile: 'CMD ["echo", "look ma, no quote!]\n',
    dump: '(cmd "[\\"echo\\", \\"look ma, no quote!]")',
  },
  {
    name: "json",
    dockerfile:
      'CMD []\nCMD [""]\nCMD ["a"]\nCMD ["a","b"]\nCMD [ "a", "b" ]\nCMD [\t"a",\t"b"\t]\nCMD\t[\t"a",\t"b"\t]\t\nCMD ["abc 123", "♥", "☃", "\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000"]\n',
    dump: '(cmd)\n(cmd "")\n(cmd "a")\n(cmd "a" "b")\n(cmd "a" "b")\n(cmd "a" "b")\n(cmd "a" "b")\n(cmd "abc 123" "♥" "☃" "\\" \\\\ / \\b \\f \\n \\r \\t \\x00")',
  },
  {
    name: "kartar-entrypoint-oddities",
    dockerfile:
      'FROM ubuntu:14.04\nLABEL maintainer James Turnbull "james@example.com"\nENV REFRESHED_AT 2014-06-01\nRUN apt-get update\nRUN apt-get --no-install-recommends install -y redis-server redis-tools\nEXPOSE 6379\nENTRYPOINT [ "/usr/bin/redis-server" ]\n',
    dump: '(from "ubuntu:14.04")\n(label "maintainer" "James Turnbull \\"james@example.com\\"" "")\n(env "REFRESHED_AT" "2014-06-01" "")\n(run "apt-get update")\n(run "apt-get --no-install-recommends install -y redis-server redis-tools")\n(expose "6379")\n(entrypoint "/usr/bin/redis-server")',
  },
  {
    name: "lk4d4-the-edge-case-generator",
    dockerfile:
      'FROM busybox:buildroot-2014.02\n\nLABEL maintainer docker <docker@docker.io>\n\nONBUILD RUN ["echo", "test"]\nONBUILD RUN echo test\nONBUILD COPY . /\n\n\n# RUN Commands \\\n# linebreak in comment \\\nRUN ["ls", "-la"]\nRUN ["echo", "\'1234\'"]\nRUN echo "1234"\nRUN echo 1234\nRUN echo \'1234\' && \\\n    echo "456" && \\\n    echo 789\nRUN    sh -c \'echo root:testpass \\\n        > /tmp/passwd\'\nRUN mkdir -p /test /test2 /test3/test\n\n# ENV \\\nENV SCUBA 1 DUBA 3\nENV SCUBA "1 DUBA 3"\n\n# CMD \\\nCMD ["echo", "test"]\nCMD echo test\nCMD echo "test"\nCMD echo \'test\'\nCMD echo \'test\' | wc -\n\n#EXPOSE\\\nEXPOSE 3000\nEXPOSE 9000 5000 6000\n\nUSER docker\nUSER docker:root\n\nVOLUME ["/test"]\nVOLUME ["/test", "/test2"]\nVOLUME /test3\n\nWORKDIR /test\n\nADD . /\nCOPY . copy\n',
    dump: '(from "busybox:buildroot-2014.02")\n(label "maintainer" "docker <docker@docker.io>" "")\n(onbuild (run "echo" "test"))\n(onbuild (run "echo test"))\n(onbuild (copy "." "/"))\n(run "ls" "-la")\n(run "echo" "\'1234\'")\n(run "echo \\"1234\\"")\n(run "echo 1234")\n(run "echo \'1234\' &&     echo \\"456\\" &&     echo 789")\n(run "sh -c \'echo root:testpass         > /tmp/passwd\'")\n(run "mkdir -p /test /test2 /test3/test")\n(env "SCUBA" "1 DUBA 3" "")\n(env "SCUBA" "\\"1 DUBA 3\\"" "")\n(cmd "echo" "test")\n(cmd "echo test")\n(cmd "echo \\"test\\"")\n(cmd "echo \'test\'")\n(cmd "echo \'test\' | wc -")\n(expose "3000")\n(expose "9000" "5000" "6000")\n(user "docker")\n(user "docker:root")\n(volume "/test")\n(volume "/test" "/test2")\n(volume "/test3")\n(workdir "/test")\n(add "." "/")\n(copy "." "copy")',
  },
  {
    name: "mail",
    dockerfile:
      'FROM ubuntu:14.04\n\nRUN apt-get update -qy && apt-get install mutt offlineimap vim-nox abook elinks curl tmux cron zsh -y\nADD .muttrc /\nADD .offlineimaprc /\nADD .tmux.conf /\nADD mutt /.mutt\nADD vim /.vim\nADD vimrc /.vimrc\nADD crontab /etc/crontab\nRUN chmod 644 /etc/crontab\nRUN mkdir /Mail\nRUN mkdir /.offlineimap\nRUN echo "export TERM=screen-256color" >/.zshenv\n\nCMD setsid cron; tmux -2\n',
    dump: '(from "ubuntu:14.04")\n(run "apt-get update -qy && apt-get install mutt offlineimap vim-nox abook elinks curl tmux cron zsh -y")\n(add ".muttrc" "/")\n(add ".offlineimaprc" "/")\n(add ".tmux.conf" "/")\n(add "mutt" "/.mutt")\n(add "vim" "/.vim")\n(add "vimrc" "/.vimrc")\n(add "crontab" "/etc/crontab")\n(run "chmod 644 /etc/crontab")\n(run "mkdir /Mail")\n(run "mkdir /.offlineimap")\n(run "echo \\"export TERM=screen-256color\\" >/.zshenv")\n(cmd "setsid cron; tmux -2")',
  },
  {
    name: "multiple-volumes",
    dockerfile:
      "FROM foo\n\nVOLUME /opt/nagios/var /opt/nagios/etc /opt/nagios/libexec /var/log/apache2 /usr/share/snmp/mibs\n",
    dump: '(from "foo")\n(volume "/opt/nagios/var" "/opt/nagios/etc" "/opt/nagios/libexec" "/var/log/apache2" "/usr/share/snmp/mibs")',
  },
  {
    name: "mumble",
    dockerfile:
      "FROM ubuntu:14.04\n\nRUN apt-get update && apt-get install libcap2-bin mumble-server -y\n\nADD ./mumble-server.ini /etc/mumble-server.ini\n\nCMD /usr/sbin/murmurd\n",
    dump: '(from "ubuntu:14.04")\n(run "apt-get update && apt-get install libcap2-bin mumble-server -y")\n(add "./mumble-server.ini" "/etc/mumble-server.ini")\n(cmd "/usr/sbin/murmurd")',
  },
  {
    name: "nginx",
    dockerfile:
      'FROM ubuntu:14.04\nLABEL maintainer Erik Hollensbe <erik@hollensbe.org>\n\nRUN apt-get update && apt-get install nginx-full -y\nRUN rm -rf /etc/nginx\nADD etc /etc/nginx\nRUN chown -R root:root /etc/nginx\nRUN /usr/sbin/nginx -qt\nRUN mkdir /www\n\nCMD ["/usr/sbin/nginx"]\n\nVOLUME /www\nEXPOSE 80\n',
    dump: '(from "ubuntu:14.04")\n(label "maintainer" "Erik Hollensbe <erik@hollensbe.org>" "")\n(run "apt-get update && apt-get install nginx-full -y")\n(run "rm -rf /etc/nginx")\n(add "etc" "/etc/nginx")\n(run "chown -R root:root /etc/nginx")\n(run "/usr/sbin/nginx -qt")\n(run "mkdir /www")\n(cmd "/usr/sbin/nginx")\n(volume "/www")\n(expose "80")',
  },
  {
    name: "tf2",
    dockerfile:
      "FROM ubuntu:12.04\n\nEXPOSE 27015\nEXPOSE 27005\nEXPOSE 26901\nEXPOSE 27020\n\nRUN apt-get update && apt-get install libc6-dev-i386 curl unzip -y\nRUN mkdir -p /steam\nRUN curl http://media.steampowered.com/client/steamcmd_linux.tar.gz | tar vxz -C /steam\nADD ./script /steam/script\nRUN /steam/steamcmd.sh +runscript /steam/script\nRUN curl http://mirror.pointysoftware.net/alliedmodders/mmsource-1.10.0-linux.tar.gz | tar vxz -C /steam/tf2/tf\nRUN curl http://mirror.pointysoftware.net/alliedmodders/sourcemod-1.5.3-linux.tar.gz | tar vxz -C /steam/tf2/tf\nADD ./server.cfg /steam/tf2/tf/cfg/server.cfg\nADD ./ctf_2fort.cfg /steam/tf2/tf/cfg/ctf_2fort.cfg\nADD ./sourcemod.cfg /steam/tf2/tf/cfg/sourcemod/sourcemod.cfg\nRUN rm -r /steam/tf2/tf/addons/sourcemod/configs\nADD ./configs /steam/tf2/tf/addons/sourcemod/configs\nRUN mkdir -p /steam/tf2/tf/addons/sourcemod/translations/en\nRUN cp /steam/tf2/tf/addons/sourcemod/translations/*.txt /steam/tf2/tf/addons/sourcemod/translations/en\n\nCMD cd /steam/tf2 && ./srcds_run -port 27015 +ip 0.0.0.0 +map ctf_2fort -autoupdate -steam_dir /steam -steamcmd_script /steam/script +tf_bot_quota 12 +tf_bot_quota_mode fill\n",
    dump: '(from "ubuntu:12.04")\n(expose "27015")\n(expose "27005")\n(expose "26901")\n(expose "27020")\n(run "apt-get update && apt-get install libc6-dev-i386 curl unzip -y")\n(run "mkdir -p /steam")\n(run "curl http://media.steampowered.com/client/steamcmd_linux.tar.gz | tar vxz -C /steam")\n(add "./script" "/steam/script")\n(run "/steam/steamcmd.sh +runscript /steam/script")\n(run "curl http://mirror.pointysoftware.net/alliedmodders/mmsource-1.10.0-linux.tar.gz | tar vxz -C /steam/tf2/tf")\n(run "curl http://mirror.pointysoftware.net/alliedmodders/sourcemod-1.5.3-linux.tar.gz | tar vxz -C /steam/tf2/tf")\n(add "./server.cfg" "/steam/tf2/tf/cfg/server.cfg")\n(add "./ctf_2fort.cfg" "/steam/tf2/tf/cfg/ctf_2fort.cfg")\n(add "./sourcemod.cfg" "/steam/tf2/tf/cfg/sourcemod/sourcemod.cfg")\n(run "rm -r /steam/tf2/tf/addons/sourcemod/configs")\n(add "./configs" "/steam/tf2/tf/addons/sourcemod/configs")\n(run "mkdir -p /steam/tf2/tf/addons/sourcemod/translations/en")\n(run "cp /steam/tf2/tf/addons/sourcemod/translations/*.txt /steam/tf2/tf/addons/sourcemod/translations/en")\n(cmd "cd /steam/tf2 && ./srcds_run -port 27015 +ip 0.0.0.0 +map ctf_2fort -autoupdate -steam_dir /steam -steamcmd_script /steam/script +tf_bot_quota 12 +tf_bot_quota_mode fill")',
  },
  {
    name: "trailing-backslash",
    dockerfile:
      "# https://github.com/docker/for-win/issues/5254\n\nFROM hello-world\n\nENV A path\nENV B another\\\\path\nENV C trailing\\\\backslash\\\\\nENV D This should not be appended to C\nENV E hello\\\n\\\nworld\nENV F hello\\\n \\\nworld\nENV G hello \\\n\\\nworld\n",
    dump: '(from "hello-world")\n(env "A" "path" "")\n(env "B" "another\\\\\\\\path" "")\n(env "C" "trailing\\\\\\\\backslash\\\\\\\\" "")\n(env "D" "This should not be appended to C" "")\n(env "E" "helloworld" "")\n(env "F" "hello world" "")\n(env "G" "hello world" "")',
  },
  {
    name: "weechat",
    dockerfile:
      'FROM ubuntu:14.04\n\nRUN apt-get update -qy && apt-get install tmux zsh weechat-curses -y\n\nADD .weechat /.weechat\nADD .tmux.conf /\nRUN echo "export TERM=screen-256color" >/.zshenv\n\nCMD zsh -c weechat\n',
    dump: '(from "ubuntu:14.04")\n(run "apt-get update -qy && apt-get install tmux zsh weechat-curses -y")\n(add ".weechat" "/.weechat")\n(add ".tmux.conf" "/")\n(run "echo \\"export TERM=screen-256color\\" >/.zshenv")\n(cmd "zsh -c weechat")',
  },
  {
    name: "znc",
    dockerfile:
      'FROM ubuntu:14.04\nLABEL maintainer Erik Hollensbe <erik@hollensbe.org>\n\nRUN apt-get update && apt-get install znc -y\nADD conf /.znc\n\nCMD [ "/usr/bin/znc", "-f", "-r" ]\n',
    dump: '(from "ubuntu:14.04")\n(label "maintainer" "Erik Hollensbe <erik@hollensbe.org>" "")\n(run "apt-get update && apt-get install znc -y")\n(add "conf" "/.znc")\n(cmd "/usr/bin/znc" "-f" "-r")',
  },
];

/** BuildKit's testfiles-negative: Dockerfiles the parser (or the instruction parser) refuses. */
export const PARSER_NEGATIVE: readonly { name: string; dockerfile: string }[] = [
  { name: "empty_dockerfile", dockerfile: "" },
  { name: "env_no_value", dockerfile: "FROM busybox\n\nENV PATH\n" },
  { name: "only_comments", dockerfile: "# Hello\n# These are just comments\n\n" },
  { name: "shykes-nested-json", dockerfile: 'CMD [ "echo", [ "nested json" ] ]\n' },
];

/** BuildKit's testfile-line/Dockerfile: instructions span lines 5-5, 11-12 and 17-31. */
export const LINE_INFO_DOCKERFILE =
  "# ESCAPE=\\\n\n\n\nFROM brimstone/ubuntu:14.04\n\n\n# TORUN -v /var/run/docker.sock:/var/run/docker.sock\n\n\nENV GOPATH \\\n/go\n\n\n\n# Install the packages we need, clean up after them and us\nRUN apt-get update \\\n\t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.clean \\\n\n\n    && apt-get --no-install-recommends install -y git golang ca-certificates \\\n    && apt-get clean \\\n    && rm -rf /var/lib/apt/lists \\\n\n\t&& go get -v github.com/brimstone/consuldock \\\n    && mv $GOPATH/bin/consuldock /usr/local/bin/consuldock \\\n\n\t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.dirty \\\n\t&& apt-get remove --purge -y $(diff /tmp/dpkg.clean /tmp/dpkg.dirty | awk '/^>/ {print $2}') \\\n\t&& rm /tmp/dpkg.* \\\n\t&& rm -rf $GOPATH\n\n\n\n\n";
