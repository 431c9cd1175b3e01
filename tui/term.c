/*
 * term.c: the one file that includes curses. It copies a frame to the
 * screen (runs of one role drawn together, then wnoutrefresh and a single
 * doupdate), maps curses keys to tui/input.h codes, and restores the
 * terminal on every exit path.
 *
 * Owns curses state; nothing else calls curses. It must not draw anywhere
 * but in term_draw, which the dashboard's render step calls.
 */
#include "tui/term.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "tui/input.h"

/* Curses state is process-wide by nature; this mirrors it. */
static bool term_on;
static attr_t term_role_attr[ROLE_COUNT];
static FILE *term_tty;    /* keys from /dev/tty when stdin is not the tty */
static SCREEN *term_scr;  /* the screen on term_tty */
static MEVENT term_event; /* the last mouse event */

bool
term_start(void)
{
    if (term_on)
        return true;
    if (!isatty(STDOUT_FILENO))
        return false;
    if (isatty(STDIN_FILENO)) {
        if (initscr() == NULL)
            return false;
    } else {
        /* Standard input carries something else (a feed): keys come from
         * the terminal itself, as less and fzf read them. */
        term_tty = fopen("/dev/tty", "r");
        if (term_tty == NULL)
            return false;
        term_scr = newterm(NULL, stdout, term_tty);
        if (term_scr == NULL) {
            fclose(term_tty);
            term_tty = NULL;
            return false;
        }
        set_term(term_scr);
    }
    term_on = true;
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED |
                  BUTTON5_PRESSED,
              NULL);
    mouseinterval(0);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    return true;
}

void
term_stop(void)
{
    if (!term_on)
        return;
    term_on = false;
    curs_set(1);
    mousemask(0, NULL);
    endwin();
    if (term_scr != NULL) {
        delscreen(term_scr);
        term_scr = NULL;
    }
    if (term_tty != NULL) {
        fclose(term_tty);
        term_tty = NULL;
    }
}

int
term_input_fd(void)
{
    return term_tty != NULL ? fileno(term_tty) : STDIN_FILENO;
}

bool
term_gone(void)
{
    struct termios t;

    /* a hung-up terminal answers every request with EIO */
    return tcgetattr(term_input_fd(), &t) != 0;
}

bool
term_mouse(struct input_mouse *out)
{
    if (term_event.bstate & BUTTON4_PRESSED)
        out->kind = MOUSE_WHEEL_UP;
    else if (term_event.bstate & BUTTON5_PRESSED)
        out->kind = MOUSE_WHEEL_DOWN;
    else if (term_event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
        out->kind = MOUSE_CLICK;
    else
        return false;
    out->row = term_event.y;
    out->col = term_event.x;
    return true;
}

bool
term_active(void)
{
    return term_on;
}

/* A last resort: endwin() is not async-signal-safe, but after a crash a
 * restored terminal is worth the risk (tmux's fatal path does the same). */
static void
term_crash_cb(int sig)
{
    if (term_on) {
        term_on = false;
        endwin();
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void
term_crash_restore(void)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGABRT};

    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        signal(sigs[i], term_crash_cb);
}

static attr_t
term_attr_bits(uint8_t a)
{
    attr_t r = A_NORMAL;

    if (a & THEME_BOLD)
        r |= A_BOLD;
    if (a & THEME_REVERSE)
        r |= A_REVERSE;
    if (a & THEME_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & THEME_DIM)
        r |= A_DIM;
    return r;
}

/* A 16-colour index on a terminal with fewer: bright becomes bold. */
static short
term_color(int c, attr_t *extra)
{
    if (c < 0)
        return -1;
    if (c >= 8 && COLORS < 16) {
        *extra |= A_BOLD;
        return (short)(c - 8);
    }
    return (short)c;
}

void
term_theme(const struct theme *t)
{
    bool color = t->color && has_colors() && COLORS >= 8;

    for (int r = 0; r < ROLE_COUNT; r++) {
        attr_t a = term_attr_bits(t->style[r].attr);

        if (color && r + 1 < COLOR_PAIRS) {
            attr_t extra = 0;
            short fg = term_color(t->style[r].fg, &extra);
            short bg = term_color(t->style[r].bg, &extra);

            init_pair((short)(r + 1), fg, bg);
            a |= COLOR_PAIR(r + 1) | (fg >= 0 ? extra : 0);
        }
        term_role_attr[r] = a;
    }
}

void
term_bell(void)
{
    if (term_active())
        beep();
}

void
term_draw(const struct frame *f)
{
    char run[4096];

    for (int r = 0; r < f->rows && r < LINES; r++) {
        int c = 0;

        move(r, 0);
        while (c < f->cols && c < COLS) {
            uint8_t role = frame_at(f, r, c)->role;
            size_t n = 0;

            /* A run of one role, drawn at once. The last cell of the
             * screen is written too: curses handles it with scrollok
             * off. */
            while (c < f->cols && c < COLS && frame_at(f, r, c)->role == role) {
                const char *ch = frame_at(f, r, c)->ch;
                size_t k = strlen(ch);

                if (n + k >= sizeof(run))
                    break;
                memcpy(run + n, ch, k);
                n += k;
                c++;
            }
            run[n] = '\0';
            attrset(term_role_attr[role < ROLE_COUNT ? role : 0]);
            addstr(run);
        }
    }
    attrset(A_NORMAL);
    wnoutrefresh(stdscr);
    doupdate();
}

int
term_key(void)
{
    int ch;

    if (!term_on)
        return -1;
    ch = getch();
    switch (ch) {
    case ERR:
        return -1;
    case KEY_UP:
        return KEY_UP_;
    case KEY_DOWN:
        return KEY_DOWN_;
    case KEY_LEFT:
        return KEY_LEFT_;
    case KEY_RIGHT:
        return KEY_RIGHT_;
    case KEY_PPAGE:
        return KEY_PGUP_;
    case KEY_NPAGE:
        return KEY_PGDN_;
    case KEY_HOME:
        return KEY_HOME_;
    case KEY_END:
        return KEY_END_;
    case KEY_ENTER:
    case '\n':
    case '\r':
        return KEY_ENTER_;
    case 27:
        return KEY_ESC_;
    case '\t':
        return KEY_TAB_;
    case KEY_BTAB:
        return KEY_BTAB_;
    case KEY_BACKSPACE:
    case 127:
    case 8:
        return KEY_BACKSPACE_;
    case KEY_RESIZE:
        /* Sizes come from SIGWINCH (it can arrive before KEY_RESIZE). */
        return KEY_RESIZE_;
    case KEY_F(1):
        return KEY_F1_;
    case KEY_F(10):
        return KEY_F10_;
    case KEY_MOUSE:
        memset(&term_event, 0, sizeof(term_event));
        return getmouse(&term_event) == OK ? KEY_MOUSE_ : KEY_RESIZE_;
    default:
        return ch >= 0 && ch < 0x100 ? ch : KEY_RESIZE_;
    }
}

void
term_resize(int *rows, int *cols)
{
    struct winsize ws;

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
        ws.ws_col > 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    } else {
        *rows = LINES;
        *cols = COLS;
    }
    if (term_on) {
        resizeterm(*rows, *cols);
        clearok(curscr, TRUE);
    }
}
