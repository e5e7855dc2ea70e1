#!/usr/bin/perl
# A tiny TCP listener for service tests and bench/services.sh: perl ships with every Debian,
# and hundreds of these cost far less than as many python3 servers.
# Usage: tcp_listener.pl PORT [DELAY_SECONDS]: waits DELAY (to make readiness take time),
# then listens on 127.0.0.1:PORT and accepts and closes connections for ever.
use strict;
use warnings;
use IO::Socket::INET;
my ($port, $delay) = @ARGV;
die "usage: tcp_listener.pl PORT [DELAY_SECONDS]\n" unless defined $port;
sleep $delay if $delay;
my $socket = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $port, Listen => 64,
                                   ReuseAddr => 1) or die "listen: $!";
close($socket->accept) while 1;
